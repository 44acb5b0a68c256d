package dev.workbench.models.dense;

import dev.workbench.data.DatasetInfo;
import dev.workbench.models.CommonHyperparameters;
import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.OutputHeads;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;

/** Multi-layer perceptron: dense hidden layers (optionally batch-normalised, with dropout), then the task head. */
public final class MlpFactory implements ModelFactory {
    @Override
    public String family() {
        return "dense";
    }

    @Override
    public String architecture() {
        return "mlp";
    }

    @Override
    public String description() {
        return "Multi-layer perceptron for tabular (or flattened) inputs";
    }

    @Override
    public List<HyperparameterSpec> hyperparameters() {
        return List.of(
                HyperparameterSpec.integers("hidden", List.of(64, 32), 1, 65_536, "units of each hidden layer, input side first"),
                CommonHyperparameters.activation("relu"),
                CommonHyperparameters.dropout(0.0),
                HyperparameterSpec.flag("batch_norm", false, "batch normalisation after each hidden layer"));
    }

    @Override
    public Optional<String> incompatibility(DatasetInfo data, Hyperparameters hyperparameters) {
        return Optional.empty();
    }

    @Override
    public Network build(ModelContext context) {
        Hyperparameters hp = context.hyperparameters();
        NeuralNetConfiguration.ListBuilder layers = context.base().builder()
                .weightInit(WeightInit.RELU)
                .list();
        for (int units : hp.integers("hidden")) {
            layers.layer(CommonHyperparameters.hiddenDense(units, hp));
            if (hp.flag("batch_norm")) {
                layers.layer(new BatchNormalization.Builder().build());
            }
        }
        layers.layer(OutputHeads.forData(context.data()));
        layers.setInputType(InputType.feedForward(context.data().input().features()));
        MultiLayerNetwork net = new MultiLayerNetwork(layers.build());
        net.init();
        return new SequentialNetwork(net);
    }
}
