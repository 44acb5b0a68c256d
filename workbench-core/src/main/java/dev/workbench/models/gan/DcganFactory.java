package dev.workbench.models.gan;

import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.data.DatasetInfo;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;

/**
 * DCGAN (Radford et al. 2016) for small images: the generator projects z to a quarter-size map of 2 x
 * {@code filters} channels, then two transposed convolutions (DL4J's Deconvolution2D, 4x4, stride 2) double it
 * twice, batch norm and ReLU between, tanh out; the discriminator mirrors it with strided 4x4 convolutions and
 * LeakyReLU 0.2, batch norm on its second, and a logit. Weights from N(0, 0.02), as in the paper. With
 * {@code quarter_convs}, both networks add that many 3x3 convolutions on the quarter-size map.
 */
public final class DcganFactory extends GanFactory {
    @Override
    public String architecture() {
        return "dcgan";
    }

    @Override
    public String description() {
        return "DCGAN: transposed-convolution generator, strided-convolution discriminator, batch norm, LeakyReLU 0.2";
    }

    @Override
    List<HyperparameterSpec> networkHyperparameters() {
        return List.of(HyperparameterSpec.integer("filters", 64, 1, 1024,
                "channels of the generator's last hidden map and the discriminator's first (the other has twice)"),
                HyperparameterSpec.integer("quarter_convs", 0, 0, 8,
                        "3x3 convolutions (2 x filters channels, batch norm) on the quarter-size map, in the generator "
                                + "after its projection and in the discriminator after its downsampling"));
    }

    @Override
    public Optional<String> incompatibility(DatasetInfo data, Hyperparameters hyperparameters) {
        Optional<String> problem = super.incompatibility(data, hyperparameters);
        if (problem.isEmpty() && (data.input().height() % 4 != 0 || data.input().width() % 4 != 0)) {
            return Optional.of("doubles a quarter-size map twice, so needs height and width divisible by 4; dataset "
                    + data.name() + " is " + data.input());
        }
        return problem;
    }

    @Override
    MultiLayerNetwork generator(NeuralNetConfiguration.Builder base, Hyperparameters hp, GanSettings settings) {
        int filters = hp.integer("filters");
        int height = settings.height() / 4;
        int width = settings.width() / 4;
        NeuralNetConfiguration.ListBuilder layers = base.weightInit(new NormalDistribution(0, 0.02)).list()
                .layer(new DenseLayer.Builder().nOut((long) 2 * filters * height * width)
                        .activation(Activation.IDENTITY).build())
                .inputPreProcessor(1, new FeedForwardToCnnPreProcessor(height, width, 2L * filters))
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
        quarterConvolutions(layers, hp, Activation.RELU.getActivationFunction());
        layers.layer(upsampling(filters).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(upsampling(settings.channels()).activation(Activation.TANH).build());
        return new MultiLayerNetwork(layers.setInputType(InputType.feedForward(settings.generatorInputs())).build());
    }

    /** 4x4 transposed convolution, stride 2, padding 1: (n - 1) * 2 + 4 - 2 = 2n. */
    private static Deconvolution2D.Builder upsampling(int channels) {
        return new Deconvolution2D.Builder(4, 4).stride(2, 2).padding(1, 1).nOut(channels)
                .convolutionMode(ConvolutionMode.Truncate);
    }

    @Override
    MultiLayerNetwork discriminator(NeuralNetConfiguration.Builder base, Hyperparameters hp, GanSettings settings) {
        int filters = hp.integer("filters");
        NeuralNetConfiguration.ListBuilder layers = base.weightInit(new NormalDistribution(0, 0.02)).list()
                .layer(downsampling(filters).activation(new ActivationLReLU(0.2)).build())
                .layer(downsampling(2 * filters).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(new ActivationLReLU(0.2)).build());
        quarterConvolutions(layers, hp, new ActivationLReLU(0.2));
        layers.layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build());
        return new MultiLayerNetwork(layers.setInputType(
                InputType.convolutionalFlat(settings.height(), settings.width(), settings.channels())).build());
    }

    /**
     * {@code quarter_convs} size-keeping 3x3 convolutions on the quarter-size map, each with batch norm and
     * {@code activation}. Without them the generator lays out a digit's shape in its one dense projection and the
     * discriminator judges it by its one dense logit, both linear in the map; each adds a non-linear step there.
     */
    private static void quarterConvolutions(NeuralNetConfiguration.ListBuilder layers, Hyperparameters hp,
                                            IActivation activation) {
        for (int i = 0; i < hp.integer("quarter_convs"); i++) {
            layers.layer(new ConvolutionLayer.Builder(3, 3).stride(1, 1).padding(1, 1).nOut(2L * hp.integer("filters"))
                            .convolutionMode(ConvolutionMode.Truncate).activation(Activation.IDENTITY).build())
                    .layer(new BatchNormalization.Builder().build())
                    .layer(new ActivationLayer.Builder().activation(activation).build());
        }
    }

    /** 4x4 convolution, stride 2, padding 1: n / 2. */
    private static ConvolutionLayer.Builder downsampling(int channels) {
        return new ConvolutionLayer.Builder(4, 4).stride(2, 2).padding(1, 1).nOut(channels)
                .convolutionMode(ConvolutionMode.Truncate);
    }
}
