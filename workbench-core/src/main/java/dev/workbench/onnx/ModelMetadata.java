package dev.workbench.onnx;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.data.DatasetInfo;
import dev.workbench.data.InputShape;
import dev.workbench.data.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a deployer needs besides the graph, stored in the ONNX model's metadata_props: the task, class
 * labels, raw input shape, the raw pixel range of image data, and the preprocessing as a per-feature affine map {@code x' = x * scale + bias}
 * (the workbench's normalisers are all affine; the map is measured from the fitted normaliser itself).
 */
public record ModelMetadata(String job, String dataset, Task task, List<String> labels, InputShape input,
                            double pixelMax, float[] scale, float[] bias) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "workbench.";
    private static final float PROBE = 1 << 20;

    public static ModelMetadata of(String job, DatasetInfo info, DataNormalization normalizer) {
        int n = info.input().features();
        float[] scale = new float[n];
        float[] bias = new float[n];
        if (normalizer == null) {
            java.util.Arrays.fill(scale, 1f);
        } else {
            // Probe at 0 and at a large x: the difference then carries float precision relative to scale itself.
            INDArray probe = Nd4j.vstack(Nd4j.zeros(DataType.FLOAT, 1, n), Nd4j.valueArrayOf(new long[]{1, n}, PROBE, DataType.FLOAT));
            normalizer.transform(probe);
            double[] at0 = probe.getRow(0).toDoubleVector();
            double[] atProbe = probe.getRow(1).toDoubleVector();
            for (int i = 0; i < n; i++) {
                bias[i] = (float) at0[i];
                scale[i] = (float) ((atProbe[i] - at0[i]) / PROBE);
            }
        }
        return new ModelMetadata(job, info.name(), info.task(), info.labels(), info.input(), info.pixelMax(), scale, bias);
    }

    /** Applies the stored preprocessing to raw inputs {@code [n, features]}. */
    public INDArray preprocess(INDArray raw) {
        if (raw.columns() != input.features()) {
            throw new IllegalArgumentException("expected " + input.features() + " input values per example, got " + raw.columns());
        }
        return raw.castTo(DataType.FLOAT).mulRowVector(Nd4j.createFromArray(scale)).addiRowVector(Nd4j.createFromArray(bias));
    }

    public Map<String, String> toProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        try {
            props.put(PREFIX + "job", job);
            props.put(PREFIX + "dataset", dataset);
            props.put(PREFIX + "task", task.name().toLowerCase());
            props.put(PREFIX + "labels", JSON.writeValueAsString(labels));
            props.put(PREFIX + "input_shape", JSON.writeValueAsString(
                    input.isImage() ? List.of(input.channels(), input.height(), input.width()) : List.of(input.features())));
            props.put(PREFIX + "pixel_max", Double.toString(pixelMax));
            props.put(PREFIX + "preprocess", "x' = x * scale + bias, per feature, on the flattened raw input");
            props.put(PREFIX + "preprocess_scale", JSON.writeValueAsString(scale));
            props.put(PREFIX + "preprocess_bias", JSON.writeValueAsString(bias));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }

    public static ModelMetadata fromProperties(Map<String, String> props) {
        try {
            List<Integer> shape = JSON.readValue(required(props, "input_shape"), new TypeReference<>() { });
            InputShape input = shape.size() == 3 ? InputShape.image(shape.get(0), shape.get(1), shape.get(2))
                    : InputShape.tabular(shape.get(0));
            return new ModelMetadata(props.getOrDefault(PREFIX + "job", ""), props.getOrDefault(PREFIX + "dataset", ""),
                    Task.valueOf(required(props, "task").toUpperCase()),
                    JSON.readValue(required(props, "labels"), new TypeReference<List<String>>() { }), input,
                    Double.parseDouble(props.getOrDefault(PREFIX + "pixel_max", "0")),
                    JSON.readValue(required(props, "preprocess_scale"), float[].class),
                    JSON.readValue(required(props, "preprocess_bias"), float[].class));
        } catch (IOException e) {
            throw new IllegalArgumentException("model metadata is unreadable: " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> props, String key) {
        String value = props.get(PREFIX + key);
        if (value == null) {
            throw new IllegalArgumentException("not a workbench ONNX model: metadata_props lacks " + PREFIX + key);
        }
        return value;
    }
}
