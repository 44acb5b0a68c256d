package dev.workbench.predict;

import dev.workbench.onnx.ModelMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Raw inputs in, labelled predictions out: applies the model's stored preprocessing, runs an engine
 * (DL4J or ONNX Runtime) and names the outputs. Both engines share this one path.
 */
public record Predictor(ModelMetadata metadata, UnaryOperator<INDArray> engine, String engineName) {

    /** @param raw {@code [n, features]} in the dataset's own units (e.g. grey levels 0..255) */
    public List<Prediction> predict(INDArray raw) {
        INDArray output = engine.apply(metadata.preprocess(raw));
        List<Prediction> predictions = new ArrayList<>();
        for (int row = 0; row < output.rows(); row++) {
            float[] values = output.getRow(row).toFloatVector();
            Map<String, Double> scores = new LinkedHashMap<>();
            int best = 0;
            for (int i = 0; i < values.length; i++) {
                scores.put(metadata.labels().get(i), (double) values[i]);
                best = values[i] > values[best] ? i : best;
            }
            predictions.add(metadata.task().isCategorical()
                    ? new Prediction(metadata.labels().get(best), values[best], scores)
                    : new Prediction(null, Double.NaN, scores));
        }
        return predictions;
    }
}
