package dev.workbench.models.autoencoder;

import dev.workbench.train.ForwardingNetwork;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.layers.variational.VariationalAutoencoder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A network made of one DL4J variational autoencoder layer. DL4J trains it unsupervised (pretraining: the
 * negative ELBO, reconstruction log-likelihood plus KL to the prior), so {@link #fit} pretrains on the batch's
 * features; {@link #output} is the reconstruction (the decoder's mean at the encoder's mean), which is what the
 * evaluator compares with the input.
 */
public final class VariationalNetwork extends ForwardingNetwork {
    private final SequentialNetwork network;

    public VariationalNetwork(SequentialNetwork network) {
        super(network);
        this.network = network;
    }

    public VariationalAutoencoder layer() {
        return (VariationalAutoencoder) network.net().getLayer(0);
    }

    /** The encoder's mean of q(z|x): the latent code of each input. */
    public INDArray encode(INDArray features) {
        return network.net().output(features, false);
    }

    /** The decoder's mean for latent codes {@code z}, e.g. samples from the N(0, I) prior. */
    public INDArray decode(INDArray z) {
        return layer().generateAtMeanGivenZ(z);
    }

    @Override
    public void fit(DataSet batch) {
        network.net().pretrainLayer(0, batch.getFeatures());
        // pretrainLayer does not count iterations itself; the learning-rate schedule reads this count.
        network.net().setIterationCount(network.net().getIterationCount() + 1);
    }

    @Override
    public double score() {
        return layer().score();
    }

    @Override
    public INDArray output(INDArray features) {
        return decode(encode(features));
    }

    @Override
    public Network rebuilt(Model model) {
        return new VariationalNetwork((SequentialNetwork) network.rebuilt(model));
    }

}
