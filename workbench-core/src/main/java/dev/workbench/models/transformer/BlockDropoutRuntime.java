package dev.workbench.models.transformer;

import dev.workbench.models.ExactGradientSameDiffLayer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SameDiff runtime of a {@link TransformerEncoderBlock} with dropout inside: it draws the block's masks (inverted
 * dropout: a kept unit is scaled by 1 / keep, so inference needs no rescaling) from ND4J's random stream, which the
 * trainer seeds per epoch, once per training forward pass, and sets them as the graph's mask constants; the backward
 * pass, which DL4J computes by running the graph again, then sees the same masks. Inference sets them to ones.
 */
final class BlockDropoutRuntime extends ExactGradientSameDiffLayer {
    // The training forward pass's masks by constant name, kept for its backward pass.
    private final Map<String, INDArray> drawn = new HashMap<>();

    BlockDropoutRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * A mask constant of {@code rank} dimensions in the block's graph, placed where {@code values} (the masked
     * activations) are; the runtime gives it its values before each pass.
     */
    static SDVariable maskConstant(SDVariable values, String name, int rank) {
        long[] ones = new long[rank];
        Arrays.fill(ones, 1);
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return values.getSameDiff().constant(name, Nd4j.ones(values.dataType(), ones));
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (sameDiff == null) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                doInit();  // builds the graph, mask constants included, so that they can be set before the pass
            }
        }
        TransformerEncoderBlock block = (TransformerEncoderBlock) layerConf();
        long batch = input.size(0);
        long steps = input.size(2);
        long rows = batch * steps;
        drawn.clear();
        set(TransformerEncoderBlock.ATTENTION_KEEP, block.getAttentionDropout(), training,
                batch, block.getHeads(), steps, steps);
        set(TransformerEncoderBlock.ATTENTION_OUTPUT_KEEP, block.getResidualDropout(), training, rows, block.getDModel());
        set(TransformerEncoderBlock.FEED_FORWARD_OUTPUT_KEEP, block.getResidualDropout(), training, rows, block.getDModel());
        return super.activate(training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (drawn.isEmpty()) {
            throw new IllegalStateException("TransformerEncoderBlock '" + layerConf().getLayerName()
                    + "': backward pass without a training forward pass (its dropout masks are drawn there)");
        }
        drawn.forEach((name, mask) -> sameDiff.associateArrayWithVariable(mask, sameDiff.getVariable(name)));
        return super.backpropGradient(epsilon, workspaceMgr);
    }

    /** Sets one mask constant: fresh draws in training, ones (no dropout) otherwise; nothing where the rate is 0. */
    private void set(String name, double rate, boolean training, long... shape) {
        if (rate <= 0) {
            return;
        }
        SDVariable constant = sameDiff.getVariable(name);
        INDArray mask;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (training) {
                mask = draw(rate, constant.dataType(), shape);
                drawn.put(name, mask);
            } else {
                mask = Nd4j.ones(constant.dataType(), shape);
            }
        }
        sameDiff.associateArrayWithVariable(mask, constant);
    }

    /** 0 with probability {@code rate}, else 1 / (1 - rate). */
    static INDArray draw(double rate, DataType type, long... shape) {
        double keep = 1.0 - rate;
        INDArray uniform = Nd4j.rand(type, shape);
        return uniform.lt(keep).castTo(type).divi(keep);
    }
}
