package dev.workbench.models.transformer;

import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetInfo;
import dev.workbench.data.Task;
import dev.workbench.generate.NextTokenModel;
import dev.workbench.train.Evaluator;
import dev.workbench.train.Network;
import dev.workbench.train.SupervisedObjective;
import dev.workbench.train.TrainingObjective;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A gpt decoder's objective: next-token language modelling, trained, judged, saved and loaded as every language
 * model is; text generation reads it through its key/value cache ({@link CachedDecoder}) instead of a window per
 * token.
 */
final class DecoderObjective implements TrainingObjective {
    private final SupervisedObjective languageModel = new SupervisedObjective(Task.LANGUAGE_MODEL);

    @Override
    public String name() {
        return languageModel.name();
    }

    @Override
    public DataSplits prepare(DataSplits labelled) {
        return languageModel.prepare(labelled);
    }

    @Override
    public List<String> metricNames() {
        return languageModel.metricNames();
    }

    @Override
    public Evaluator.Scores evaluate(Network network, DataSet split, DatasetInfo info) {
        return languageModel.evaluate(network, split, info);
    }

    @Override
    public NextTokenModel nextTokenModel(Network network, int context) {
        return CachedDecoder.of((MultiLayerNetwork) network.model(), context);
    }
}
