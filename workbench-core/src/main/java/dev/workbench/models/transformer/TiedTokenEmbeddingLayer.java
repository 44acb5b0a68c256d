package dev.workbench.models.transformer;

import dev.workbench.train.NetworkLinkedLayer;
import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime of a {@link TiedTokenEmbedding}: looks tokens up in the output head's weights and adds its gradient to
 * theirs. The head's backward pass runs before this first layer's, and the optimizer steps after both, so the head's
 * W gradient holds the sum of both uses when it is applied.
 */
final class TiedTokenEmbeddingLayer extends AbstractLayer<TiedTokenEmbedding> implements NetworkLinkedLayer {
    private Layer head;

    TiedTokenEmbeddingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public void link(MultiLayerNetwork net) {
        Layer last = net.getOutputLayer();
        TiedTokenEmbedding tied = layerConf();
        long[] expected = {tied.getNOut(), tied.getNIn()};
        if (!(last.conf().getLayer() instanceof RnnOutputLayer) || last.getParam(DefaultParamInitializer.WEIGHT_KEY) == null
                || !Arrays.equals(expected, last.getParam(DefaultParamInitializer.WEIGHT_KEY).shape())) {
            throw new IllegalArgumentException("tied token embedding (layer " + getIndex() + "): the network's output layer "
                    + last.getIndex() + " (" + last.conf().getLayer().getClass().getSimpleName() + ") has no weights "
                    + Arrays.toString(expected) + " [d_model, vocabulary] to share");
        }
        head = last;
    }

    private Layer head() {
        if (head == null) {
            throw new IllegalStateException("tied token embedding (layer " + getIndex() + ") is not linked to its output "
                    + "head: wrap the network in a SequentialNetwork, which links it");
        }
        return head;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray weights = head().getParam(DefaultParamInitializer.WEIGHT_KEY);      // [d, vocabulary]
        long batch = input.size(0);
        long steps = input.size(input.rank() - 1);
        // One product picks the columns (exactly: one 1 and zeros per row): [batch * time, vocabulary] x [vocabulary, d].
        INDArray rows = oneHot(ids(), weights.dataType()).mmul(weights.transpose());
        INDArray out = rows.reshape('c', batch, steps, weights.size(0)).permute(0, 2, 1);
        return workspaceMgr.dup(ArrayType.ACTIVATIONS, out.castTo(dataType), 'c');
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Layer head = head();
        long dModel = epsilon.size(1);
        int[] ids = ids();
        INDArray perToken = epsilon.permute(1, 0, 2).dup('c').reshape(dModel, ids.length);  // [d, batch * time]
        INDArray headGradient = head.conf().getLayer().initializer()
                .getGradientsFromFlattened(head.conf(), head.getGradientsViewArray()).get(DefaultParamInitializer.WEIGHT_KEY);
        headGradient.addi(perToken.mmul(oneHot(ids, perToken.dataType())));
        return new Pair<>(new DefaultGradient(), null);
    }

    /** {@code [ids, vocabulary]}: row j is 1 at column ids[j]. */
    private INDArray oneHot(int[] ids, DataType type) {
        long vocabulary = layerConf().getNIn();
        float[] values = new float[Math.multiplyExact(ids.length, (int) vocabulary)];
        for (int j = 0; j < ids.length; j++) {
            values[j * (int) vocabulary + ids[j]] = 1f;
        }
        return Nd4j.create(values, new long[]{ids.length, vocabulary}, 'c').castTo(type);
    }

    /** The token ids, example-major ({@code b * time + t}), checked against the vocabulary. */
    private int[] ids() {
        INDArray flat = input.rank() == 3 ? input.reshape(input.size(0), input.size(2)) : input;
        if (flat.rank() != 2) {
            throw new IllegalArgumentException("tied token embedding: expected ids [batch, 1, time] or [batch, time], got "
                    + Arrays.toString(input.shape()));
        }
        int[] ids = flat.dup('c').reshape(-1).toIntVector();
        long vocabulary = layerConf().getNIn();
        for (int id : ids) {
            if (id < 0 || id >= vocabulary) {
                throw new IllegalArgumentException("tied token embedding: token id " + id + " outside the vocabulary of "
                        + vocabulary);
            }
        }
        return ids;
    }

    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return 0;  // its weights are the head's, regularised there
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
    }

    @Override
    public INDArray params() {
        return null;
    }
}
