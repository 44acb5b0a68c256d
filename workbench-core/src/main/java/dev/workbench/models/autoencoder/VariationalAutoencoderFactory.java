package dev.workbench.models.autoencoder;

import dev.workbench.data.DataSplits;
import dev.workbench.models.CommonHyperParameters;
import dev.workbench.models.HyperParameter;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.report.Plots;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import dev.workbench.train.VariationalNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.variational.BernoulliReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.GaussianReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Variational autoencoder on DL4J's VariationalAutoencoder layer: a Gaussian q(z|x) with the
 * reparameterisation trick, a KL term to the N(0, I) prior, and a Bernoulli (inputs in [0,1]) or Gaussian
 * reconstruction distribution. Adds samples from the prior and the test set's latent means to the run.
 */
public final class VariationalAutoencoderFactory extends AutoencoderFactory {

    @Override
    public String architecture() {
        return "variational";
    }

    @Override
    public String description() {
        return "Variational autoencoder (ELBO: reconstruction likelihood + KL to N(0, I)); samples and latent plot";
    }

    @Override
    public List<HyperParameter> hyperparameters() {
        return List.of(
                HyperParameter.integers("encoder", List.of(256), 1, 65_536, "units of each encoder layer"),
                HyperParameter.integers("decoder", List.of(256), 1, 65_536, "units of each decoder layer"),
                HyperParameter.integer("latent", 2, 1, 1024, "size of z (2 gives a latent map you can look at)"),
                CommonHyperParameters.activation("relu"),
                HyperParameter.choice("reconstruction", "bernoulli", List.of("bernoulli", "gaussian"),
                        "p(x|z): bernoulli for inputs in [0,1], gaussian for standardised inputs"));
    }

    @Override
    public Network build(ModelContext context) {
        Hyperparameters hp = context.hyperparameters();
        VariationalAutoencoder vae = new VariationalAutoencoder.Builder()
                .encoderLayerSizes(hp.integers("encoder").stream().mapToInt(Integer::intValue).toArray())
                .decoderLayerSizes(hp.integers("decoder").stream().mapToInt(Integer::intValue).toArray())
                .activation(CommonHyperParameters.activation(hp))
                .pzxActivationFunction(Activation.IDENTITY)
                .reconstructionDistribution("bernoulli".equals(hp.choice("reconstruction"))
                        ? new BernoulliReconstructionDistribution(Activation.SIGMOID)
                        : new GaussianReconstructionDistribution(Activation.IDENTITY))
                .nOut(hp.integer("latent"))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(context.base().builder().weightInit(WeightInit.XAVIER).list()
                .layer(vae)
                .setInputType(InputType.feedForward(context.data().input().features()))
                .build());
        net.init();
        return new VariationalNetwork(new SequentialNetwork(net));
    }

    @Override
    public List<Path> plots(Network model, DataSplits data, int[] testClasses, Path folder) throws IOException {
        VariationalNetwork vae = (VariationalNetwork) model;
        List<Path> plots = new ArrayList<>(super.plots(model, data, testClasses, folder));
        int latent = (int) vae.encode(data.test().getFeatures().get(NDArrayIndex.interval(0, 1), NDArrayIndex.all())).columns();
        if (data.info().input().isImage()) {
            // Decoded draws from the prior: what the model generates, two rows of ten.
            Nd4j.getRandom().setSeed(12345);
            INDArray z = Nd4j.randn(DataType.FLOAT, 20, latent);
            INDArray samples = vae.decode(z);
            plots.add(Plots.imageRows(folder.resolve("samples.png"),
                    List.of(samples.get(NDArrayIndex.interval(0, 10), NDArrayIndex.all()),
                            samples.get(NDArrayIndex.interval(10, 20), NDArrayIndex.all())),
                    data.info().input().height(), data.info().input().width(), false));
        }
        if (testClasses != null && latent >= 2) {
            double[][] points = vae.encode(data.test().getFeatures()).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2))
                    .castTo(DataType.DOUBLE).toDoubleMatrix();
            List<String> classes = java.util.stream.IntStream.range(0, java.util.Arrays.stream(testClasses).max().orElse(0) + 1)
                    .mapToObj(Integer::toString).toList();
            plots.add(Plots.scatter(folder.resolve("latent.png"), latent == 2 ? "Latent means of the test set"
                    : "Latent means of the test set (first 2 of " + latent + " dimensions)", points, testClasses, classes));
        }
        return plots;
    }
}
