package dev.workbench.job;

import java.util.List;

/**
 * The data side of a job.
 *
 * @param name          registry name, e.g. {@code mnist}, {@code iris}
 * @param batchSize     minibatch size
 * @param splits        validation/test fractions (test is ignored by datasets with a fixed test split)
 * @param normalization {@code none}, {@code standardize}, {@code min_max} or {@code scale} (8-bit pixels to [0,1]);
 *                      statistics are fitted on the training split only
 * @param dropColumns   feature columns removed by a DataVec TransformProcess (tabular data, names {@code f0..fN})
 * @param trainClasses  when not empty, only these classes train and validate (the test split keeps every class):
 *                      anomaly detection trains on "normal" classes and scores the others
 */
public record DatasetSpec(String name, Integer batchSize, SplitSpec splits, String normalization, List<String> dropColumns,
                          List<Integer> trainClasses) {
    public DatasetSpec {
        batchSize = batchSize == null ? 32 : batchSize;
        splits = splits == null ? new SplitSpec(null, null) : splits;
        normalization = normalization == null ? "standardize" : normalization;
        dropColumns = dropColumns == null ? List.of() : List.copyOf(dropColumns);
        trainClasses = trainClasses == null ? List.of() : List.copyOf(trainClasses);
    }

    public DatasetSpec(String name, Integer batchSize, SplitSpec splits, String normalization, List<String> dropColumns) {
        this(name, batchSize, splits, normalization, dropColumns, null);
    }

    /** The same data with another normalisation (the split does not depend on it). */
    public DatasetSpec withNormalization(String kind) {
        return new DatasetSpec(name, batchSize, splits, kind, dropColumns, trainClasses);
    }
}
