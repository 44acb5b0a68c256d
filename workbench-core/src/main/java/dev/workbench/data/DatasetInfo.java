package dev.workbench.data;

import java.util.List;

/**
 * What a dataset is, for {@code workbench datasets} and for validating a job against it.
 *
 * @param samples        labelled examples in total
 * @param labels         class names (classification) or target names (regression)
 * @param featureNames   column names a job may drop (tabular data), empty for images
 * @param fixedTestSplit true when the dataset ships its own test split
 * @param pixelMax       largest raw feature value for image data (for {@code scale}), 0 for tabular
 * @param folder         where its files live, relative to the data root
 */
public record DatasetInfo(String name, String description, int samples, Task task, InputShape input,
                          List<String> labels, List<String> featureNames, boolean fixedTestSplit,
                          double pixelMax, String source, String license, String folder) {
    public int numClasses() {
        return labels.size();
    }
}
