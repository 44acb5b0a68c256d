package dev.workbench.models.gan;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The arrays a {@link GanNetwork} step creates outside any workspace (its inputs, the activations DL4J's
 * {@code feedForward} returns detached, the gradients it copies), closed when the step ends so that their native
 * memory is free for the next step at once instead of when the garbage collector finds their Java objects. Only
 * memory the step owns is freed: arrays that own theirs, and the buffer under a view of all of it (a permuted
 * activation); views of part of a buffer and workspace arrays are left alone.
 */
final class StepArrays {
    private final Set<INDArray> arrays = Collections.newSetFromMap(new IdentityHashMap<>());

    /** {@code array} is the step's own, unused once the step ends; returned for chaining. */
    INDArray add(INDArray array) {
        if (array != null) {
            arrays.add(array);
        }
        return array;
    }

    /** Every array of {@code list}. */
    void addAll(Iterable<INDArray> list) {
        list.forEach(this::add);
    }

    /**
     * A view over all of a buffer that no workspace holds, such as the activation of a convolution trained
     * channels-last (an NCHW view of its row-major output): the step owns that buffer as it owns an array.
     */
    private static boolean isWholeBufferView(INDArray array) {
        return array.isView() && !array.isAttached() && array.offset() == 0 && array.length() == array.data().length()
                && array.data().closeable();
    }

    /** Frees the memory of every added array that owns its memory; the arrays must not be read again. */
    void close() {
        for (INDArray array : arrays) {
            if (array.closeable()) {
                array.close();
            } else if (isWholeBufferView(array)) {
                array.data().close();
            }
        }
        arrays.clear();
    }
}
