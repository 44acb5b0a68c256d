package dev.workbench.data.sequence;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Token-id sequences to the arrays DL4J's recurrent layers take: {@code [examples, channels, time]}. */
public final class SequenceArrays {
    private SequenceArrays() {
    }

    /** Ids as {@code [n, 1, length]} floats, the input of an embedding layer. */
    public static INDArray ids(List<int[]> sequences, int length) {
        float[] values = new float[sequences.size() * length];
        for (int i = 0; i < sequences.size(); i++) {
            int[] ids = sequences.get(i);
            for (int t = 0; t < length; t++) {
                values[i * length + t] = ids[t];
            }
        }
        return Nd4j.create(values, new long[]{sequences.size(), 1, length}, 'c');
    }

    /** One-hot ids as {@code [n, classes, length]}: per-step targets of a softmax output. */
    public static INDArray oneHot(List<int[]> sequences, int length, int classes) {
        float[] values = new float[sequences.size() * classes * length];
        for (int i = 0; i < sequences.size(); i++) {
            int[] ids = sequences.get(i);
            for (int t = 0; t < length; t++) {
                values[(i * classes + ids[t]) * length + t] = 1f;
            }
        }
        return Nd4j.create(values, new long[]{sequences.size(), classes, length}, 'c');
    }

    /**
     * The last {@code length} ids of {@code ids}, padded in front with id 0 when shorter: recurrent layers then
     * end on the text itself, and the padding is learnt to be inert (pre-padding, as Keras' default).
     */
    public static int[] prePadded(int[] ids, int length) {
        int[] out = new int[length];
        int take = Math.min(length, ids.length);
        System.arraycopy(ids, ids.length - take, out, length - take, take);
        return out;
    }
}
