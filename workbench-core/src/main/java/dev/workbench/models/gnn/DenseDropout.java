package dev.workbench.models.gnn;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout of a dense float input, as DL4J's {@link org.deeplearning4j.nn.conf.dropout.Dropout} does it (each
 * entry kept with probability {@code keep} and scaled by {@code 1 / keep}) with the decisions drawn in Java
 * ({@link KeepDraws}): libnd4j's generator took a fifth of a GCN epoch on Cora for the hidden layer's 43 thousand
 * entries. The dropped input and its mask (the scale or 0 per entry, for the input gradient) live outside DL4J's
 * workspaces from the forward pass to the backward one, and are rewritten by the next pass.
 */
final class DenseDropout {
    private final INDArray dropped;
    private final INDArray mask;
    private final float[] values;
    private final float[] scales;

    private DenseDropout(long[] shape) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            dropped = Nd4j.create(DataType.FLOAT, shape, 'c');
            mask = Nd4j.create(DataType.FLOAT, shape, 'c');
        }
        values = new float[(int) dropped.length()];
        scales = new float[values.length];
    }

    /** {@code previous} when it has this shape, else new buffers. */
    static DenseDropout reusing(DenseDropout previous, long[] shape) {
        return previous != null && Arrays.equals(previous.dropped.shape(), shape) ? previous : new DenseDropout(shape);
    }

    /** Drops out float {@code input} (this shape) with decisions from {@code random}, row-major; returns this. */
    DenseDropout drop(INDArray input, double keep, SplittableRandom random) {
        RowLanes.read(input, values);
        new KeepDraws(keep).draw(values.length, random).scales(scales, values.length, (float) (1.0 / keep));
        for (int i = 0; i < values.length; i++) {
            values[i] *= scales[i];
        }
        RowLanes.write(values, dropped);
        RowLanes.write(scales, mask);
        return this;
    }

    /** The input of the last {@link #drop}, dropped out. */
    INDArray dropped() {
        return dropped;
    }

    /** Per entry of the last {@link #drop}: {@code 1 / keep} where it was kept, 0 where dropped. */
    INDArray mask() {
        return mask;
    }
}
