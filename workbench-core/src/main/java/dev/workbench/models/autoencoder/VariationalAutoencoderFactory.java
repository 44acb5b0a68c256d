package dev.workbench.models.autoencoder;

import dev.workbench.models.CommonHyperparameters;
import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.data.DatasetInfo;
import dev.workbench.models.ModelContext;
import dev.workbench.train.TrainingObjective;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import java.util.List;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.variational.BernoulliReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.GaussianReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * Variational autoencoder on DL4J's VariationalAutoencoder layer: a Gaussian q(z|x) with the
 * reparameterisation trick, a KL term to the N(0, I) prior, and a Bernoulli (inputs in [0,1]) or Gaussian
 * reconstruction distribution. Trains on the {@link VariationalObjective}.
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
    public List<HyperparameterSpec> hyperparameters() {
        return List.of(
                HyperparameterSpec.integers("encoder", List.of(256), 1, 65_536, "units of each encoder layer"),
                HyperparameterSpec.integers("decoder", List.of(256), 1, 65_536, "units of each decoder layer"),
                HyperparameterSpec.integer("latent", 2, 1, 1024, "size of z (2 gives a latent map you can look at)"),
                CommonHyperparameters.activation("relu"),
                HyperparameterSpec.choice("reconstruction", "bernoulli", List.of("bernoulli", "gaussian"),
                        "p(x|z): bernoulli for inputs in [0,1], gaussian for standardised inputs"));
    }

    @Override
    public TrainingObjective objective(DatasetInfo data) {
        return new VariationalObjective();
    }

    @Override
    public Network build(ModelContext context) {
        Hyperparameters hp = context.hyperparameters();
        VariationalAutoencoder vae = new VariationalAutoencoder.Builder()
                .encoderLayerSizes(hp.integers("encoder").stream().mapToInt(Integer::intValue).toArray())
                .decoderLayerSizes(hp.integers("decoder").stream().mapToInt(Integer::intValue).toArray())
                .activation(CommonHyperparameters.activation(hp))
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
}
