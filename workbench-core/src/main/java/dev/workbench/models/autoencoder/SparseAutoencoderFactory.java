package dev.workbench.models.autoencoder;

import dev.workbench.models.CommonHyperparameters;
import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.train.GraphNetwork;
import dev.workbench.train.Network;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossL1;

/**
 * Sparse autoencoder with an activity L1 penalty on the code: the dense autoencoder as a ComputationGraph
 * whose second output is the code itself, scored by an L1 loss against zero targets and weighted by
 * {@code sparsity}. Training minimises reconstruction MSE + sparsity x mean |code|; inference (and export)
 * uses the reconstruction output only.
 */
public final class SparseAutoencoderFactory extends AutoencoderFactory {

    @Override
    public String architecture() {
        return "sparse";
    }

    @Override
    public String description() {
        return "Sparse autoencoder: reconstruction loss + L1 penalty on the code's activity";
    }

    @Override
    public List<HyperparameterSpec> hyperparameters() {
        List<HyperparameterSpec> declared = new ArrayList<>(DenseAutoencoderFactory.shared());
        declared.add(HyperparameterSpec.real("sparsity", 1e-3, 0.0, 10.0, "weight of the L1 penalty on the code activations"));
        return declared;
    }

    @Override
    public Network build(ModelContext context) {
        Hyperparameters hp = context.hyperparameters();
        List<Integer> encoder = hp.integers("encoder");
        List<Integer> widths = DenseAutoencoderFactory.mirrored(encoder);
        int features = context.data().input().features();
        ComputationGraphConfiguration.GraphBuilder graph = context.base().builder().weightInit(WeightInit.RELU).graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.feedForward(features));
        String previous = "input";
        String code = null;
        for (int i = 0; i < widths.size(); i++) {
            String name = i < encoder.size() ? "encoder" + i : "decoder" + (i - encoder.size());
            graph.addLayer(name, new DenseLayer.Builder().nOut(widths.get(i)).activation(CommonHyperparameters.activation(hp))
                    .build(), previous);
            previous = name;
            if (i == encoder.size() - 1) {
                code = name;
            }
        }
        int codeSize = encoder.get(encoder.size() - 1);
        graph.addLayer("reconstruction", DenseAutoencoderFactory.reconstruction(hp, features), previous)
                // Activity regularisation as a loss: L1 between the code and zero, one weight per code unit.
                .addLayer("sparsity", new LossLayer.Builder(new LossL1(Nd4j.valueArrayOf(new long[]{1, codeSize}, hp.real("sparsity"))))
                        .activation(Activation.IDENTITY).build(), code)
                .setOutputs("reconstruction", "sparsity");
        ComputationGraph net = new ComputationGraph(graph.build());
        net.init();
        return new GraphNetwork(net);
    }
}
