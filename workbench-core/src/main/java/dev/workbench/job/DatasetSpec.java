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
 */
public record DatasetSpec(String name, Integer batchSize, SplitSpec splits, String normalization, List<String> dropColumns) {
    public DatasetSpec {
        batchSize = batchSize == null ? 32 : batchSize;
        splits = splits == null ? new SplitSpec(null, null) : splits;
        normalization = normalization == null ? "standardize" : normalization;
        dropColumns = dropColumns == null ? List.of() : List.copyOf(dropColumns);
    }

    /** The same data with another normalisation (the split does not depend on it). */
    public DatasetSpec withNormalization(String kind) {
        return new DatasetSpec(name, batchSize, splits, kind, dropColumns);
    }
}
