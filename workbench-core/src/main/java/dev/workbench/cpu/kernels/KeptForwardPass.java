package dev.workbench.cpu.kernels;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
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
     * A training forward pass that keeps its pre-activation: {@code z} (computed from {@code input}) copied into the
     * activations workspace and kept, then activated in place and returned.
     */
    public INDArray keepAndActivate(INDArray input, INDArray z, IActivation activation, LayerWorkspaceMgr workspaceMgr) {
        keep(input, workspaceMgr.dup(ArrayType.ACTIVATIONS, z));
        return ActivationBackprop.activate(activation, z);
    }

    /**
     * What a layer's {@code preOutput4d} gives for backprop: the kept pre-activation for {@code input} (with no
     * second value), or null when the layer must compute it again.
     */
    public Pair<INDArray, INDArray> forBackprop(INDArray input) {
        INDArray z = take(input);
        return z == null ? null : new Pair<>(z, null);
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
