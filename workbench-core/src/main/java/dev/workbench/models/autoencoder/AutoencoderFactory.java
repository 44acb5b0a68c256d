package dev.workbench.models.autoencoder;

import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetInfo;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelFactory;
import dev.workbench.train.Network;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What every autoencoder architecture shares: the family, learning to reconstruct its input (any dataset
 * will do), and the reconstruction grid among its plots.
 */
abstract class AutoencoderFactory implements ModelFactory {
    @Override
    public final String family() {
        return "autoencoder";
    }

    @Override
    public Optional<String> incompatibility(DatasetInfo data, Hyperparameters hyperparameters) {
        return Optional.empty();
    }

    @Override
    public final boolean reconstructsInput() {
        return true;
    }

    @Override
    public List<Path> plots(Network model, DataSplits data, int[] testClasses, Path folder) throws IOException {
        return AutoencoderPlots.reconstructions(model, data, folder);
    }
}
