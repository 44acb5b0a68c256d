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
            // Sequences are probed as [1, channels, time]: DL4J's normalisers work per channel on time series.
            double[] at0 = probe(normalizer, info.input(), 0);
            double[] atProbe = probe(normalizer, info.input(), PROBE);
            for (int i = 0; i < n; i++) {
                bias[i] = (float) at0[i];
                scale[i] = (float) ((atProbe[i] - at0[i]) / PROBE);
            }
        }
        return new ModelMetadata(job, info.name(), info.task(), info.labels(), info.input(), info.pixelMax(), scale, bias);
    }

    private static double[] probe(DataNormalization normalizer, InputShape input, float value) {
        long[] shape = input.isSequence() ? new long[]{1, input.channels(), input.length()} : new long[]{1, input.features()};
        INDArray probe = Nd4j.valueArrayOf(shape, value, DataType.FLOAT);
        normalizer.transform(probe);
        return probe.reshape(input.features()).toDoubleVector();
    }

    /**
     * Applies the stored preprocessing to raw inputs {@code [n, features]}, or {@code [n, channels, time]} for
     * sequences (flattened per example, mapped, and given their shape back).
     */
    public INDArray preprocess(INDArray raw) {
        long perExample = raw.length() / Math.max(1, raw.size(0));
        if (perExample != input.features()) {
            throw new IllegalArgumentException("expected " + input.features() + " input values per example, got " + perExample);
        }
        INDArray flat = raw.castTo(DataType.FLOAT).dup('c').reshape('c', raw.size(0), perExample);
        INDArray mapped = flat.mulRowVector(Nd4j.createFromArray(scale)).addiRowVector(Nd4j.createFromArray(bias));
        return raw.rank() == 2 ? mapped : mapped.reshape('c', raw.shape());
    }

    public Map<String, String> toProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        try {
            props.put(PREFIX + "job", job);
            props.put(PREFIX + "dataset", dataset);
            props.put(PREFIX + "task", task.name().toLowerCase());
            props.put(PREFIX + "labels", JSON.writeValueAsString(labels));
            props.put(PREFIX + "input_kind", kind(input));
            props.put(PREFIX + "input_shape", JSON.writeValueAsString(shape(input)));
            if (input.isTokens()) {
                props.put(PREFIX + "vocabulary", Integer.toString(input.vocabulary()));
            }
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
            InputShape input = input(props.get(PREFIX + "input_kind"), shape, props.get(PREFIX + "vocabulary"));
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

    /** "tabular", "image", "sequence" or "tokens": what input_shape's list means. */
    private static String kind(InputShape input) {
        return input.isTokens() ? "tokens" : input.isSequence() ? "sequence" : input.isImage() ? "image" : "tabular";
    }

    /** input_shape as the input tensor's per-example shape: [features], [C, H, W], [C, T] or [1, T] for tokens. */
    private static List<Integer> shape(InputShape input) {
        if (input.isSequence()) {
            return List.of(input.channels(), input.length());
        }
        return input.isImage() ? List.of(input.channels(), input.height(), input.width()) : List.of(input.features());
    }

    /** Reads the stored shape back; models written before input_kind existed are images (3 numbers) or tabular. */
    private static InputShape input(String kind, List<Integer> shape, String vocabulary) {
        if (kind == null) {
            kind = shape.size() == 3 ? "image" : "tabular";
        }
        return switch (kind) {
            case "image" -> InputShape.image(shape.get(0), shape.get(1), shape.get(2));
            case "sequence" -> InputShape.sequence(shape.get(0), shape.get(1));
            case "tokens" -> InputShape.tokens(shape.get(1), Integer.parseInt(vocabulary));
            case "tabular" -> InputShape.tabular(shape.get(0));
            default -> throw new IllegalArgumentException("model metadata: unknown input_kind '" + kind + "'");
        };
    }

    private static String required(Map<String, String> props, String key) {
        String value = props.get(PREFIX + key);
        if (value == null) {
            throw new IllegalArgumentException("not a workbench ONNX model: metadata_props lacks " + PREFIX + key);
        }
        return value;
    }
}
