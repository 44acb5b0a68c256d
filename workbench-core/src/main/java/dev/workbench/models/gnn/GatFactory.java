package dev.workbench.models.gnn;

import dev.workbench.models.CommonHyperparameters;
import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * GAT (Veličković et al. 2018) for node classification: a multi-head graph attention layer (heads concatenated,
 * ELU), then an attention layer to the classes with its heads averaged, softmax cross-entropy on the training nodes.
 * The paper's transductive settings are the defaults: 8 heads of 8 features, one output head, dropout 0.6 on every
 * layer's input and on the attention coefficients, L2 5e-4 (with Adam 0.005 from the job).
 */
public final class GatFactory extends NodeClassifierFactory {
    @Override
    public String architecture() {
        return "gat";
    }

    @Override
    public String description() {
        return "Graph attention network (Veličković et al. 2018): node classification on a graph dataset";
    }

    @Override
    public List<HyperparameterSpec> hyperparameters() {
        return List.of(
                HyperparameterSpec.integer("heads", 8, 1, 64, "attention heads of the hidden layer (concatenated)"),
                HyperparameterSpec.integer("head_width", 8, 1, 4096, "features of each hidden head"),
                HyperparameterSpec.integer("output_heads", 1, 1, 64, "attention heads of the output layer (averaged)"),
                CommonHyperparameters.activation("elu"),
                CommonHyperparameters.dropout(0.6),
                HyperparameterSpec.real("attention_dropout", 0.6, 0.0, 0.9, "fraction of attention coefficients dropped in training"),
                HyperparameterSpec.real("l2", 5e-4, 0.0, 1.0, "L2 penalty on every layer's weights"));
    }

    @Override
    public Network build(ModelContext context) {
        Hyperparameters hp = context.hyperparameters();
        int heads = hp.integer("heads");
        NeuralNetConfiguration.ListBuilder layers = context.base().builder().weightInit(WeightInit.XAVIER_UNIFORM).list()
                .layer(regularised(new GraphAttention.Builder().nOut((long) heads * hp.integer("head_width"))
                        .heads(heads, true).activation(CommonHyperparameters.activation(hp)), hp).build())
                .layer(regularised(new GraphAttention.Builder().nOut(context.data().numClasses())
                        .heads(hp.integer("output_heads"), false).activation(Activation.IDENTITY), hp).build())
                .layer(softmaxLoss())
                .setInputType(InputType.feedForward(context.data().input().features()));
        MultiLayerNetwork net = new MultiLayerNetwork(layers.build());
        net.init();
        return new SequentialNetwork(net);
    }

    private static GraphAttention.Builder regularised(GraphAttention.Builder layer, Hyperparameters hp) {
        layer.attentionDropout(hp.real("attention_dropout"));
        if (hp.real("dropout") > 0) {
            layer.dropOut(1.0 - hp.real("dropout"));
        }
        if (hp.real("l2") > 0) {
            layer.l2(hp.real("l2"));
        }
        return layer;
    }
}
