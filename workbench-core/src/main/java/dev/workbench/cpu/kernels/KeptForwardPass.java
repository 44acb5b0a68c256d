package dev.workbench.cpu.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a layer kept from its training forward pass (say its pre-activation) and for which input array, so that
 * backprop reuses it only for that same input, and only once: any other call (inference in between, a new batch,
 * DL4J calling backprop on its own) falls back to recomputing.
 */
public final class KeptForwardPass {
    private INDArray input;
    private INDArray value;

    /** Forgets what was kept; every forward pass starts here. */
    public void clear() {
        input = null;
        value = null;
    }

    /** The pass just run on {@code input} is kept (by the layer itself). */
    public void keep(INDArray input) {
        keep(input, input);
    }

    /** The pass just run on {@code input} is kept, with {@code value}. */
    public void keep(INDArray input, INDArray value) {
        this.input = input;
        this.value = value;
    }

    /**
     * The value kept with the pass on {@code input} (the input itself when nothing else was), or null when what
     * is kept belongs to another input or nothing is; used up either way.
     */
    public INDArray take(INDArray input) {
        INDArray kept = this.input != null && this.input == input ? value : null;
        clear();
        return kept;
    }
}
