package dev.workbench.models.gnn;

import dev.workbench.data.DatasetInfo;
import dev.workbench.data.Task;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelFactory;
import dev.workbench.train.TrainingObjective;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** What every graph architecture shares: the family, classifying the nodes of a graph, the softmax loss head. */
abstract class NodeClassifierFactory implements ModelFactory {
    @Override
    public final String family() {
        return "gnn";
    }

    @Override
    public Optional<String> incompatibility(DatasetInfo data, Hyperparameters hyperparameters) {
        return data.task() == Task.CLASSIFICATION ? Optional.empty()
                : Optional.of("classifies nodes; dataset " + data.name() + " is for " + data.task().name().toLowerCase());
    }

    @Override
    public final boolean takesGraph() {
        return true;
    }

    @Override
    public final TrainingObjective objective(DatasetInfo data) {
        return new NodeClassificationObjective();
    }

    /** Softmax cross-entropy over the last graph layer's class scores, on the nodes the labels mask marks. */
    static LossLayer softmaxLoss() {
        return new LossLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).build();
    }
}
