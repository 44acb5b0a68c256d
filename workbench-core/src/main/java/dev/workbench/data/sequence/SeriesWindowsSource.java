package dev.workbench.data.sequence;

import dev.workbench.data.DataFileException;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetInfo;
import dev.workbench.data.DatasetSource;
import dev.workbench.data.InputShape;
import dev.workbench.data.Normalization;
import dev.workbench.job.DatasetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One-step-ahead forecasting on a univariate time series from a CSV column: each example is a window of
 * {@code sequence_length} consecutive values ({@code [1, length]}) and its target the value after it. The split
 * is chronological — training windows come first, then validation, then test — because shuffling windows across
 * time would let the model peek at the future it is scored on.
 */
public final class SeriesWindowsSource implements DatasetSource {
    private final DatasetInfo info;
    private final String file;
    private final int column;
    private final double divisor;

    /**
     * @param column  index of the value column in the CSV (which has a header row)
     * @param divisor values are divided by it on load, so the regression target is of order 1
     */
    public SeriesWindowsSource(DatasetInfo info, String file, int column, double divisor) {
        this.info = info;
        this.file = file;
        this.column = column;
        this.divisor = divisor;
    }

    @Override
    public DatasetInfo info() {
        return info;
    }

    @Override
    public DataSplits load(DatasetSpec spec, long seed, DataLocations locations) {
        double[] series = read(locations.verifiedFolder(info).resolve(file));
        int length = spec.sequenceLengthOr(info.input().length());
        int windows = series.length - length;
        int test = (int) Math.round(windows * spec.splits().test());
        int validation = (int) Math.round(windows * spec.splits().validation());
        int train = windows - validation - test;
        if (train < 1 || validation < 1 || test < 1) {
            throw new IllegalArgumentException("dataset.sequence_length: " + length + " leaves " + windows
                    + " windows of " + info.name() + ", too few for train/validation/test");
        }
        DataSet trainSet = windows(series, 0, train, length);
        DataSet validationSet = windows(series, train, train + validation, length);
        DataSet testSet = windows(series, train + validation, windows, length);
        DatasetInfo actual = new DatasetInfo(info.name(), info.description(), info.samples(), info.task(),
                InputShape.sequence(1, length), info.labels(), List.of(), false, 0, info.source(), info.license(), info.folder());
        DataNormalization normalizer = Normalization.fit(spec.normalization(), actual, trainSet);
        Normalization.apply(normalizer, trainSet, validationSet, testSet);
        return new DataSplits(actual, trainSet, validationSet, testSet, normalizer);
    }

    /** Windows starting at {@code [from, to)}: features {@code [n, 1, length]}, targets {@code [n, 1]}. */
    private static DataSet windows(double[] series, int from, int to, int length) {
        INDArray features = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, to - from, 1, length);
        INDArray targets = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, to - from, 1);
        for (int i = from; i < to; i++) {
            for (int t = 0; t < length; t++) {
                features.putScalar(new long[]{i - from, 0, t}, series[i + t]);
            }
            targets.putScalar(i - from, 0, series[i + length]);
        }
        return new DataSet(features, targets);
    }

    private double[] read(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path);
        } catch (IOException e) {
            throw new DataFileException(path, "unreadable (" + e.getMessage() + ")", "Restore it with git checkout");
        }
        return lines.stream().skip(1).filter(l -> !l.isBlank()).mapToDouble(line -> {
            String[] cells = line.split(",");
            try {
                return Double.parseDouble(cells[column].trim()) / divisor;
            } catch (RuntimeException e) {
                throw new DataFileException(path, "row '" + line + "': column " + column + " is not a number",
                        "Restore it with git checkout");
            }
        }).toArray();
    }
}
