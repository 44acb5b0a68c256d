package dev.workbench.models.transformer;

import dev.workbench.data.DataSplits;
import dev.workbench.data.sequence.Vocabulary;
import dev.workbench.train.ForwardingObjective;
import dev.workbench.train.Network;
import dev.workbench.train.TrainingObjective;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A classifier that starts from a pre-trained encoder ({@link PretrainedEncoder}): it learns the dataset's labels as
 * any classifier does, but the network it trains gets the encoder's weights before the first step. A resumed run
 * continues from its checkpoint and a finished one loads as usual: neither reads the pre-training run again.
 */
final class FineTuningObjective extends ForwardingObjective {
    private final Path pretrainedRun;
    /** The data's vocabulary, seen by {@link #prepare} before the network is built. */
    private Vocabulary vocabulary;

    FineTuningObjective(TrainingObjective labels, Path pretrainedRun) {
        super(labels);
        this.pretrainedRun = pretrainedRun;
    }

    @Override
    public DataSplits prepare(DataSplits labelled) {
        vocabulary = labelled.vocabulary();
        return super.prepare(labelled);
    }

    @Override
    public Network network(Network built) {
        PretrainedEncoder encoder = PretrainedEncoder.load(pretrainedRun);
        encoder.checkVocabulary(vocabulary);
        encoder.copyInto((MultiLayerNetwork) built.model());
        return built;
    }
}
