package dev.workbench.models;

import dev.workbench.data.DatasetInfo;
import dev.workbench.train.BaseConfiguration;

/** Everything a factory needs to build a network: the data's shape, the hyperparameters, the shared settings. */
public record ModelContext(DatasetInfo data, Hyperparameters hyperparameters, BaseConfiguration base) {
}
