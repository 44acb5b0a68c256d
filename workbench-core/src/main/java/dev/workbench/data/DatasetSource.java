package dev.workbench.data;

import dev.workbench.job.DatasetSpec;

/** One named dataset: knows what it is, whether its files are present, and how to load its splits. */
public interface DatasetSource {
    DatasetInfo info();

    /** Whether the rows are the nodes of one graph, joined by edges that a model must read (only graph models do). */
    default boolean isGraph() {
        return false;
    }

    /**
     * Loads, transforms and splits the data; normalisation statistics come from the training split only.
     *
     * @throws DataFileException when a file is missing or corrupt, naming it and how to restore it
     */
    DataSplits load(DatasetSpec spec, long seed, DataLocations locations);
}
