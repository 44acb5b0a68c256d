package dev.workbench.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of metrics.csv: the epoch's training loss, validation metrics ({@code val_*}), learning rate
 * at the epoch's end, wall seconds and training throughput.
 */
public record EpochMetrics(int epoch, Map<String, Double> values) {

    public EpochMetrics {
        values = new LinkedHashMap<>(values);
    }

    public double get(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("metric '" + name + "' not recorded; have " + values.keySet());
        }
        return v;
    }
}
