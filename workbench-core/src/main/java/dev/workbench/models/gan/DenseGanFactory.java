package dev.workbench.models.gan;

import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;

/**
 * GAN of two multilayer perceptrons (Goodfellow et al. 2014), LeakyReLU 0.2 between layers, tanh images out of the
 * generator and a logit out of the discriminator. The conditional variant (Mirza and Osindero 2014) gives both
 * networks the one-hot class beside their input: ask for a digit, get that digit.
 */
public final class DenseGanFactory extends GanFactory {
    private final boolean conditional;

    private DenseGanFactory(boolean conditional) {
        this.conditional = conditional;
    }

    public static DenseGanFactory plain() {
        return new DenseGanFactory(false);
    }

    public static DenseGanFactory conditioned() {
        return new DenseGanFactory(true);
    }

    @Override
    boolean conditional() {
        return conditional;
    }

    @Override
    public String architecture() {
        return conditional ? "conditional" : "dense";
    }

    @Override
    public String description() {
        return conditional
                ? "Conditional GAN (MLPs given the one-hot class): generates a chosen class; sample grid one row per class"
                : "GAN of two MLPs (LeakyReLU 0.2, tanh images); sample grid per epoch";
    }

    @Override
    List<HyperparameterSpec> networkHyperparameters() {
        return List.of(
                HyperparameterSpec.integers("generator", List.of(256, 512, 1024), 1, 65_536,
                        "units of each hidden generator layer"),
                HyperparameterSpec.integers("discriminator", List.of(512, 256), 1, 65_536,
                        "units of each hidden discriminator layer"));
    }

    @Override
    MultiLayerNetwork generator(NeuralNetConfiguration.Builder base, Hyperparameters hp, GanSettings settings) {
        NeuralNetConfiguration.ListBuilder layers = base.weightInit(WeightInit.XAVIER).list();
        for (int units : hp.integers("generator")) {
            layers.layer(new DenseLayer.Builder().nOut(units).activation(new ActivationLReLU(0.2)).build());
        }
        layers.layer(new DenseLayer.Builder().nOut(settings.imageSize()).activation(Activation.TANH).build());
        return new MultiLayerNetwork(layers.setInputType(InputType.feedForward(settings.generatorInputs())).build());
    }

    @Override
    MultiLayerNetwork discriminator(NeuralNetConfiguration.Builder base, Hyperparameters hp, GanSettings settings) {
        NeuralNetConfiguration.ListBuilder layers = base.weightInit(WeightInit.XAVIER).list();
        for (int units : hp.integers("discriminator")) {
            layers.layer(new DenseLayer.Builder().nOut(units).activation(new ActivationLReLU(0.2)).build());
        }
        layers.layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build());
        return new MultiLayerNetwork(layers.setInputType(
                InputType.feedForward(settings.imageSize() + settings.classes())).build());
    }
}
