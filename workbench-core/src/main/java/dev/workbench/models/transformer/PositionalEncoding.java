package dev.workbench.models.transformer;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adds a vector per position to a sequence {@code [batch, features, time]}: {@code out[b, :, t] = x[b, :, t] +
 * P[:, t]}, the order information a transformer block (which is order-blind) needs. Subclasses say where the table
 * {@code P [features, length]} comes from (learned, or fixed sines and cosines). Sequences must be exactly
 * {@code length} steps, as the workbench's windows and padded sentences are.
 */
public abstract class PositionalEncoding extends SequenceLayer {
    private long features;
    private long length;

    protected PositionalEncoding() {
    }

    protected PositionalEncoding(long length) {
        this.length = length;
    }

    public long getFeatures() {
        return features;
    }

    public void setFeatures(long features) {
        this.features = features;
    }

    public long getLength() {
        return length;
    }

    public void setLength(long length) {
        this.length = length;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeRecurrent recurrent = sequence(inputType);
        if (features <= 0 || override) {
            features = recurrent.getSize();
        }
        if (length <= 0) {
            length = recurrent.getTimeSeriesLength();
        }
        if (length <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " '" + getLayerName() + "' needs a fixed sequence length");
        }
    }

    /** {@code input} plus the table {@code [features, length]} at every example: a runtime's forward pass. */
    static INDArray plusTable(INDArray input, INDArray table, LayerWorkspaceMgr workspaceMgr) {
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(), 'c');
        out.assign(input);
        Nd4j.exec(new BroadcastAddOp(out, table, out, 1, 2));
        return out;
    }

    /** Refuses an input that is not {@code [batch, features, length]}, naming the layer. */
    void checkShape(long[] shape) {
        if (shape == null || shape.length != 3 || shape[1] != features || shape[2] != length) {
            throw new IllegalStateException(getClass().getSimpleName() + " '" + getLayerName() + "': expected input [batch, "
                    + features + ", " + length + "], got " + Arrays.toString(shape));
        }
    }
}
