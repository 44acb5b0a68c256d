package dev.workbench.models.gnn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime of a graph layer that may be its network's first, whose input is then the node features: data, so it
 * computes no input gradient (as PyTorch computes none for a tensor that does not require one: for Cora's 1,433
 * features that product is as large as the forward one), and its dropout draws only for the nonzero features. A zero
 * stays zero whether dropped or kept, and bag-of-words features are mostly zeros (Cora's 98.7%): DL4J's dropout,
 * which draws for every entry, took longer than the layer's products.
 */
abstract class NodeFeaturesLayer<C extends org.deeplearning4j.nn.conf.layers.BaseLayer> extends BaseLayer<C>
        implements GraphLayer {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    NodeFeaturesLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Whether this layer's input is the node features (it is its network's first layer). */
    protected boolean readsNodeFeatures() {
        return getIndex() == 0;
    }

    @Override
    protected void applyDropOutIfNecessary(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!training || dropoutApplied || !readsNodeFeatures() || !(layerConf().getIDropout() instanceof Dropout dropout)
                || dropout.getPSchedule() != null || !contiguousFloat(input)) {
            super.applyDropOutIfNecessary(training, workspaceMgr);
            return;
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.INPUT, DataType.FLOAT, input.shape(), 'c');
        dropNonzero(input, out, dropout.getP(), new SplittableRandom(Nd4j.getRandom().nextLong()));
        input = out;
        dropoutApplied = true;
    }

    /**
     * {@code out = in}, each nonzero entry then kept with probability {@code keep} and scaled by {@code 1 / keep}, or
     * zeroed (DL4J's inverted dropout, {@code keep} being its {@code p}). Both float and in order from their offset.
     */
    static void dropNonzero(INDArray in, INDArray out, double keep, SplittableRandom random) {
        ByteOrder order = ByteOrder.nativeOrder();
        ByteBuffer from = in.data().asNio().order(order);
        ByteBuffer to = out.data().asNio().order(order);
        int inAt = (int) in.offset() * Float.BYTES;
        int outAt = (int) out.offset() * Float.BYTES;
        float scale = (float) (1.0 / keep);
        int n = (int) in.length();
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromByteBuffer(SPECIES, from, inAt + i * Float.BYTES, order);
            v.intoByteBuffer(to, outAt + i * Float.BYTES, order);
            if (v.compare(VectorOperators.NE, 0f).anyTrue()) {
                for (int k = i; k < i + SPECIES.length(); k++) {
                    drop(to, outAt + k * Float.BYTES, keep, scale, random);
                }
            }
        }
        for (; i < n; i++) {
            to.putFloat(outAt + i * Float.BYTES, from.getFloat(inAt + i * Float.BYTES));
            drop(to, outAt + i * Float.BYTES, keep, scale, random);
        }
    }

    private static void drop(ByteBuffer buffer, int at, double keep, float scale, SplittableRandom random) {
        float value = buffer.getFloat(at);
        if (value != 0f) {
            buffer.putFloat(at, random.nextDouble() < keep ? value * scale : 0f);
        }
    }

    private static boolean contiguousFloat(INDArray array) {
        return array.dataType() == DataType.FLOAT && array.ordering() == 'c' && array.elementWiseStride() == 1
                && array.data().asNioFloat().capacity() >= array.offset() + array.length();
    }
}
