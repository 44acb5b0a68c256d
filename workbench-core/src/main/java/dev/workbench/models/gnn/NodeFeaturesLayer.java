package dev.workbench.models.gnn;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime of a graph layer that may be its network's first, whose input is then the node features: data, so it
 * computes no input gradient (as PyTorch computes none for a tensor that does not require one: for Cora's 1,433
 * features that product is as large as the forward one). In training it also reads sparse features (bag-of-words:
 * Cora's are 98.7% zeros) as their nonzeros, dropped out while reading, and multiplies them as such
 * ({@link SparseFeatures}): DL4J's dropout drew a random number for every one of Cora's 3.9 million entries and took
 * longer than the layer's products, which the dense gemms then spent on zeros.
 */
abstract class NodeFeaturesLayer<C extends org.deeplearning4j.nn.conf.layers.BaseLayer> extends BaseLayer<C>
        implements GraphLayer {
    /**
     * The share of nonzero entries up to which the input is read sparse: well above bag-of-words densities (Cora's
     * 1.3%), where the products over the nonzeros do a small fraction of the gemms' work; denser inputs (embeddings,
     * measurements) stay on the gemms.
     */
    private static final double MAX_SPARSE_DENSITY = 0.05;

    // The training input of the last forward pass as its kept nonzeros; null when the input was taken dense.
    private SparseFeatures sparseInput;
    // The last dropped copy of the nonzeros: the next epoch's is written over it.
    private SparseFeatures droppedNonzeros;
    // The training input of the last forward pass dropped out here (dense float input), and its mask; null else.
    private DenseDropout denseInput;
    private DenseDropout denseDropout;
    /** The layer's sparse products on float rows. */
    protected final FloatProducts products = new FloatProducts();
    // All nonzeros of the input array last read (null: too dense), kept while the same array comes back: the node
    // features are constant data, fed as the same array every epoch, and reading 3.9 million entries (Cora) for
    // 49 thousand nonzeros cost more than the products over them.
    private INDArray nonzerosOf;
    private SparseFeatures nonzeros;

    NodeFeaturesLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Whether this layer's input is the node features (it is its network's first layer). */
    protected boolean readsNodeFeatures() {
        return getIndex() == 0;
    }

    /**
     * {@code dropout(X) W} for the layer's input {@code X}: over its nonzeros for sparse node features in training,
     * else DL4J's dropout (in training) and a gemm. Call once per forward pass, before anything reads the input.
     */
    protected INDArray projectInput(INDArray weights, boolean training, LayerWorkspaceMgr workspaceMgr) {
        sparseInput = null;
        denseInput = null;
        IDropout dropout = layerConf().getIDropout();
        boolean plainDropout = dropout == null || dropout instanceof Dropout d && d.getPSchedule() == null;
        if (training && plainDropout && weights.dataType() == DataType.FLOAT && contiguousFloat(input)) {
            double keep = dropout == null ? 1.0 : ((Dropout) dropout).getP();
            if (readsNodeFeatures()) {
                if (input != nonzerosOf) {
                    nonzeros = SparseFeatures.of(input, MAX_SPARSE_DENSITY);
                    nonzerosOf = input;
                }
                if (nonzeros != null) {
                    // No draw without dropout, so the layer's later draws match the double path's.
                    SplittableRandom random = keep < 1 ? new SplittableRandom(Nd4j.getRandom().nextLong()) : null;
                    sparseInput = nonzeros.dropped(keep, random, droppedNonzeros);
                    droppedNonzeros = sparseInput == nonzeros ? droppedNonzeros : sparseInput;
                    return products.times(sparseInput, weights);
                }
            }
            if (keep < 1) {
                // DL4J's dropout draws each mask entry in libnd4j's generator: a fifth of a GCN epoch on Cora.
                denseDropout = DenseDropout.reusing(denseDropout, input.shape());
                denseInput = denseDropout.drop(input, keep, new SplittableRandom(Nd4j.getRandom().nextLong()));
                return denseInput.dropped().mmul(weights);
            }
        }
        applyDropOutIfNecessary(training, workspaceMgr);
        return input.castTo(weights.dataType()).mmul(weights);
    }

    /** {@code dropout(X)ᵀ · gradient} for the input of the last training forward pass: the weight gradient. */
    protected INDArray inputTransposeTimes(INDArray gradient) {
        if (sparseInput != null) {
            return products.transposeTimes(sparseInput, gradient);
        }
        INDArray x = denseInput != null ? denseInput.dropped() : input;
        return x.castTo(gradient.dataType()).transpose().mmul(gradient);
    }

    /**
     * The gradient with respect to the layer's input given the one with respect to its dropped-out input: through the
     * mask of the last training forward pass, in the activation-gradient workspace.
     */
    protected INDArray inputGradient(INDArray droppedGradient, LayerWorkspaceMgr workspaceMgr) {
        INDArray gradient = workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, droppedGradient);
        return denseInput != null ? gradient.muli(denseInput.mask()) : backpropDropOutIfPresent(gradient);
    }

    private static boolean contiguousFloat(INDArray array) {
        return array.dataType() == DataType.FLOAT && array.ordering() == 'c' && array.elementWiseStride() == 1
                && array.data().asNioFloat().capacity() >= array.offset() + array.length();
    }
}
