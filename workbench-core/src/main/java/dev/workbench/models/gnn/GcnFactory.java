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
 * GCN (Kipf and Welling 2017) for node classification: graph convolutions with ReLU between them, the last one to
 * the classes, softmax cross-entropy on the training nodes. The paper's settings are the defaults: one hidden layer
 * of 16, dropout 0.5 on every layer's input, L2 5e-4 on the first layer's weights, Glorot initialisation (with
 * Adam 0.01 and 200 epochs from the job).
 */
public final class GcnFactory extends NodeClassifierFactory {
    @Override
    public String architecture() {
        return "gcn";
    }

    @Override
    public String description() {
        return "Graph convolutional network (Kipf & Welling 2017): node classification on a graph dataset";
    }

    @Override
    public List<HyperparameterSpec> hyperparameters() {
        return List.of(
                HyperparameterSpec.integers("hidden", List.of(16), 1, 65_536, "units of each hidden graph convolution"),
                CommonHyperparameters.activation("relu"),
                CommonHyperparameters.dropout(0.5),
                HyperparameterSpec.real("first_layer_l2", 5e-4, 0.0, 1.0,
                        "L2 penalty on the first layer's weights (the paper's weight decay)"));
    }

    @Override
    public Network build(ModelContext context) {
        Hyperparameters hp = context.hyperparameters();
        double keep = 1.0 - hp.real("dropout");
        NeuralNetConfiguration.ListBuilder layers = context.base().builder().weightInit(WeightInit.XAVIER_UNIFORM).list();
        boolean first = true;
        for (int units : hp.integers("hidden")) {
            GraphConvolution.Builder layer = new GraphConvolution.Builder().nOut(units)
                    .activation(CommonHyperparameters.activation(hp));
            layers.layer(regularised(layer, keep, first ? hp.real("first_layer_l2") : 0).build());
            first = false;
        }
        layers.layer(regularised(new GraphConvolution.Builder().nOut(context.data().numClasses())
                .activation(Activation.IDENTITY), keep, first ? hp.real("first_layer_l2") : 0).build());
        layers.layer(softmaxLoss());
        layers.setInputType(InputType.feedForward(context.data().input().features()));
        MultiLayerNetwork net = new MultiLayerNetwork(layers.build());
        net.init();
        return new SequentialNetwork(net);
    }

    private static GraphConvolution.Builder regularised(GraphConvolution.Builder layer, double keep, double l2) {
        if (keep < 1.0) {
            layer.dropOut(keep);
        }
        if (l2 > 0) {
            layer.l2(l2);
        }
        return layer;
    }
}
