package dev.workbench.data;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

/** The normalisers a job can name, fitted on the training split only and applied to all three. */
public final class Normalization {
    public static final List<String> KINDS = List.of("none", "standardize", "min_max", "scale");

    private Normalization() {
    }

    /** Fits {@code kind} on {@code train}; null for {@code none}. {@code scale} divides by the dataset's pixel maximum. */
    public static DataNormalization fit(String kind, DatasetInfo info, DataSet train) {
        DataNormalization normalizer = switch (kind) {
            case "none" -> null;
            case "standardize" -> new NormalizerStandardize();
            case "min_max" -> new NormalizerMinMaxScaler(0, 1);
            case "scale" -> fixedRange(info);
            default -> throw new IllegalArgumentException("unknown normalization '" + kind + "'");
        };
        if (normalizer != null && !"scale".equals(kind)) {
            normalizer.fit(train);
        }
        return normalizer;
    }

    public static void apply(DataNormalization normalizer, DataSet... splits) {
        if (normalizer == null) {
            return;
        }
        for (DataSet split : splits) {
            normalizer.transform(split);
        }
    }

    /** Scales [0, pixelMax] to [0, 1] with fixed statistics: nothing is learnt from the data. */
    private static NormalizerMinMaxScaler fixedRange(DatasetInfo info) {
        if (info.pixelMax() <= 0) {
            throw new IllegalArgumentException("dataset " + info.name() + " has no fixed pixel range; use standardize or min_max");
        }
        NormalizerMinMaxScaler scaler = new NormalizerMinMaxScaler(0, 1);
        int features = info.input().features();
        scaler.setFeatureStats(Nd4j.zeros(DataType.FLOAT, 1, features),
                Nd4j.valueArrayOf(new long[]{1, features}, info.pixelMax(), DataType.FLOAT));
        return scaler;
    }
}
