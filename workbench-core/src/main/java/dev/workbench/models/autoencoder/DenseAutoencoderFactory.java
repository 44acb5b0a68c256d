package dev.workbench.models.autoencoder;

import dev.workbench.models.CommonHyperparameters;
import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.GaussianNoise;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Dense autoencoders: an encoder of shrinking dense layers down to the code, the mirrored decoder, and an
 * output layer the size of the input, trained to reproduce the input (MSE). The denoising variant corrupts
 * the input during training only, by masking (dropping a fraction of inputs) or additive Gaussian noise.
 */
public final class DenseAutoencoderFactory extends AutoencoderFactory {
    private final boolean denoising;

    private DenseAutoencoderFactory(boolean denoising) {
        this.denoising = denoising;
    }

    public static DenseAutoencoderFactory plain() {
        return new DenseAutoencoderFactory(false);
    }

    public static DenseAutoencoderFactory denoising() {
        return new DenseAutoencoderFactory(true);
    }

    @Override
    public String architecture() {
        return denoising ? "denoising" : "dense";
    }

    @Override
    public String description() {
        return denoising ? "Denoising autoencoder: reconstructs the clean input from a corrupted one"
                : "Dense autoencoder: encoder to a small code, mirrored decoder";
    }

    @Override
    public List<HyperparameterSpec> hyperparameters() {
        List<HyperparameterSpec> declared = new ArrayList<>(shared());
        if (denoising) {
            declared.add(HyperparameterSpec.choice("noise", "mask", List.of("mask", "gaussian"),
                    "input corruption: mask drops inputs, gaussian adds noise"));
            declared.add(HyperparameterSpec.real("noise_level", 0.3, 0.0, 0.9, "fraction of inputs masked, or the noise's standard deviation"));
        }
        return declared;
    }

    /** What every dense autoencoder declares: the encoder widths, hidden activation and output activation. */
    static List<HyperparameterSpec> shared() {
        return List.of(
                HyperparameterSpec.integers("encoder", List.of(256, 64), 1, 65_536, "units of each encoder layer; the last is the code size"),
                CommonHyperparameters.activation("relu"),
                HyperparameterSpec.choice("output_activation", "sigmoid", List.of("sigmoid", "identity"),
                        "sigmoid for inputs scaled to [0,1], identity for standardised inputs"));
    }

    /** The encoder widths followed by the decoder's, mirrored around the code: [256, 64] gives [256, 64, 256]. */
    static List<Integer> mirrored(List<Integer> encoder) {
        List<Integer> widths = new ArrayList<>(encoder);
        for (int i = encoder.size() - 2; i >= 0; i--) {
            widths.add(encoder.get(i));
        }
        return widths;
    }

    /** The reconstruction layer: input-sized, MSE, sigmoid or identity as the job says. */
    static OutputLayer reconstruction(Hyperparameters hp, int features) {
        return new OutputLayer.Builder(LossFunction.MSE)
                .activation("sigmoid".equals(hp.choice("output_activation")) ? Activation.SIGMOID : Activation.IDENTITY)
                .weightInit(WeightInit.XAVIER)
                .nOut(features).build();
    }

    @Override
    public Network build(ModelContext context) {
        Hyperparameters hp = context.hyperparameters();
        Activation activation = CommonHyperparameters.activation(hp);
        List<Integer> widths = mirrored(hp.integers("encoder"));
        NeuralNetConfiguration.ListBuilder layers = context.base().builder().weightInit(WeightInit.RELU).list();
        for (int i = 0; i < widths.size(); i++) {
            DenseLayer.Builder dense = new DenseLayer.Builder().nOut(widths.get(i)).activation(activation);
            if (i == 0 && denoising) {
                dense.dropOut("mask".equals(hp.choice("noise")) ? new Dropout(1.0 - hp.real("noise_level"))
                        : new GaussianNoise(hp.real("noise_level")));
            }
            layers.layer(dense.build());
        }
        layers.layer(reconstruction(hp, context.data().input().features()));
        layers.setInputType(InputType.feedForward(context.data().input().features()));
        MultiLayerNetwork net = new MultiLayerNetwork(layers.build());
        net.init();
        return new SequentialNetwork(net);
    }
}
