package dev.workbench.tune;

import dev.workbench.report.MetricsCsv;
import dev.workbench.train.EpochMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;

/**
 * Arbiter's score of a candidate: the best value of one validation metric over the epochs of its run folder's
 * metrics.csv (the epoch early stopping would keep). The "model" Arbiter passes is the run folder.
 */
final class ValidationScore implements ScoreFunction {
    private final String metric;
    private final boolean minimize;

    ValidationScore(String metric, boolean minimize) {
        this.metric = metric;
        this.minimize = minimize;
    }

    String metricName() {
        return metric;
    }

    /** Epochs recorded in the run's metrics.csv. */
    int epochs(Path run) {
        return rows(run).size();
    }

    double of(Path run) {
        List<EpochMetrics> rows = rows(run);
        double best = Double.NaN;
        for (EpochMetrics row : rows) {
            double v = row.get(metric);
            if (!Double.isNaN(v) && (Double.isNaN(best) || better(v, best))) {
                best = v;
            }
        }
        return best;
    }

    private static List<EpochMetrics> rows(Path run) {
        try {
            return MetricsCsv.read(run.resolve("metrics.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(run.resolve("metrics.csv") + ": cannot be read", e);
        }
    }

    boolean better(double a, double b) {
        return minimize ? a < b : a > b;
    }

    @Override
    public double score(Object run, DataProvider data, Map<String, Object> dataParameters) {
        return of((Path) run);
    }

    @Override
    public double score(Object run, Class<? extends DataSource> data, Properties dataParameters) {
        return of((Path) run);
    }

    @Override
    public boolean minimize() {
        return minimize;
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(Path.class);
    }

    @Override
    public List<Class<?>> getSupportedDataTypes() {
        return List.of(Object.class);
    }
}
