package dev.workbench.job;

import java.util.List;

/**
 * The data side of a job.
 *
 * @param name           registry name, e.g. {@code mnist}, {@code iris}, {@code tinyshakespeare}
 * @param batchSize      minibatch size
 * @param splits         validation/test fractions (ignored where a dataset fixes its own split)
 * @param normalization  {@code none}, {@code standardize}, {@code min_max} or {@code scale} (8-bit pixels to [0,1]);
 *                       statistics are fitted on the training split only
 * @param dropColumns    feature columns removed by a DataVec TransformProcess (tabular data, names {@code f0..fN})
 * @param trainClasses   when not empty, only these classes train and validate (the test split keeps every class):
 *                       anomaly detection trains on "normal" classes and scores the others
 * @param sequenceLength time steps per example for sequence data: characters per training sequence (language
 *                       models), tokens per sentence (text; longer ones are cut, shorter ones padded in front),
 *                       past values per forecast window (series); null takes the dataset's default
 * @param limit          when set, at most this many training examples are used (quick runs); validation and
 *                       test stay whole so that numbers compare
 * @param augmentation   random transforms of training images, applied per batch; null for none
 */
public record DatasetSpec(String name, Integer batchSize, SplitSpec splits, String normalization, List<String> dropColumns,
                          List<Integer> trainClasses, Integer sequenceLength, Integer limit, AugmentationSpec augmentation) {
    public DatasetSpec {
        batchSize = batchSize == null ? 32 : batchSize;
        splits = splits == null ? new SplitSpec(null, null) : splits;
        normalization = normalization == null ? "standardize" : normalization;
        dropColumns = dropColumns == null ? List.of() : List.copyOf(dropColumns);
        trainClasses = trainClasses == null ? List.of() : List.copyOf(trainClasses);
    }

    public DatasetSpec(String name, Integer batchSize, SplitSpec splits, String normalization, List<String> dropColumns) {
        this(name, batchSize, splits, normalization, dropColumns, null, null, null, null);
    }

    /** The same data with another normalisation (the split does not depend on it). */
    public DatasetSpec withNormalization(String kind) {
        return new DatasetSpec(name, batchSize, splits, kind, dropColumns, trainClasses, sequenceLength, limit, augmentation);
    }

    /** The job's sequence length, or {@code fallback} (the dataset's default) when the job sets none. */
    public int sequenceLengthOr(int fallback) {
        return sequenceLength == null ? fallback : sequenceLength;
    }
}
