package dev.workbench.models.gnn;

import dev.workbench.data.DatasetInfo;
import dev.workbench.models.CommonHyperparameters;
import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import dev.workbench.train.TrainingObjective;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * GraphSAGE (Hamilton et al. 2017) with the mean aggregator: each layer adds a node's own projection to the
 * projected mean of its neighbours; ReLU between layers, the last to the classes. Defaults as commonly run on Cora
 * (hidden 64, dropout 0.5, L2 5e-4 with Adam 0.01). Full batch by default; {@code fanouts} (one per layer, the first
 * layer's first; the paper's are 25 and 10) trains on minibatches of {@code dataset.batch_size} training nodes, each
 * step on their sampled neighbourhoods.
 */
public final class SageFactory extends NodeClassifierFactory {
    @Override
    public String architecture() {
        return "sage";
    }

    @Override
    public String description() {
        return "GraphSAGE, mean aggregator (Hamilton et al. 2017), full batch or sampled minibatches: node "
                + "classification on a graph dataset";
    }

    @Override
    public List<HyperparameterSpec> hyperparameters() {
        return List.of(
                HyperparameterSpec.integers("hidden", List.of(64), 1, 65_536, "units of each hidden SAGE layer"),
                CommonHyperparameters.activation("relu"),
                CommonHyperparameters.dropout(0.5),
                HyperparameterSpec.real("l2", 5e-4, 0.0, 1.0, "L2 penalty on every layer's weights"),
                HyperparameterSpec.integers("fanouts", List.of(), 1, 1_000_000, "neighbours sampled per layer, first "
                        + "layer first (the paper: [25, 10]), for minibatches of dataset.batch_size training nodes; "
                        + "absent: full batch"));
    }

    /** Sampling needs one fanout per SAGE layer: the hidden ones and the output one. */
    @Override
    public Optional<String> incompatibility(DatasetInfo data, Hyperparameters hp) {
        Optional<String> base = super.incompatibility(data, hp);
        List<Integer> fanouts = hp.integers("fanouts");
        int layers = hp.integers("hidden").size() + 1;
        if (base.isPresent() || fanouts.isEmpty() || fanouts.size() == layers) {
            return base;
        }
        return Optional.of("hyperparameters.fanouts: one per SAGE layer, " + layers + " (hidden " + hp.integers("hidden")
                + " and the output layer), got " + fanouts.size() + " " + fanouts);
    }

    @Override
    public TrainingObjective objective(DatasetInfo data, Hyperparameters hp) {
        return new NodeClassificationObjective(hp.integers("fanouts"));
    }

    @Override
    public Network build(ModelContext context) {
        Hyperparameters hp = context.hyperparameters();
        NeuralNetConfiguration.ListBuilder layers = context.base().builder().weightInit(WeightInit.XAVIER_UNIFORM).list();
        for (int units : hp.integers("hidden")) {
            layers.layer(regularised(new GraphSage.Builder().nOut(units).activation(CommonHyperparameters.activation(hp)), hp)
                    .build());
        }
        layers.layer(regularised(new GraphSage.Builder().nOut(context.data().numClasses()).activation(Activation.IDENTITY), hp)
                        .build())
                .layer(softmaxLoss())
                .setInputType(InputType.feedForward(context.data().input().features()));
        MultiLayerNetwork net = new MultiLayerNetwork(layers.build());
        net.init();
        return new SequentialNetwork(net);
    }

    private static GraphSage.Builder regularised(GraphSage.Builder layer, Hyperparameters hp) {
        if (hp.real("dropout") > 0) {
            layer.dropOut(1.0 - hp.real("dropout"));
        }
        if (hp.real("l2") > 0) {
            layer.l2(hp.real("l2"));
        }
        return layer;
    }
}
