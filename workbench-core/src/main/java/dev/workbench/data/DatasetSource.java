package dev.workbench.data;

import dev.workbench.job.DatasetSpec;

/** One named dataset: knows what it is, whether its files are present, and how to load its splits. */
public interface DatasetSource {
    DatasetInfo info();

    /**
     * Loads, transforms and splits the data; normalisation statistics come from the training split only.
     *
     * @throws DataFileException when a file is missing or corrupt, naming it and how to restore it
     */
    DataSplits load(DatasetSpec spec, long seed, DataLocations locations);
}
