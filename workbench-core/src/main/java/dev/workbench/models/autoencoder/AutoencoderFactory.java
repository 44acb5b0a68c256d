package dev.workbench.models.autoencoder;

import dev.workbench.data.DatasetInfo;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelFactory;
import dev.workbench.train.TrainingObjective;
import java.util.Optional;

/** What every autoencoder architecture shares: the family and its objective, reconstructing the input. */
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
    public TrainingObjective objective(DatasetInfo data) {
        return new ReconstructionObjective();
    }
}
