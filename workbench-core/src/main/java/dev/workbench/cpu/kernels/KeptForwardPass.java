package dev.workbench.cpu.kernels;

import java.util.Arrays;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a layer kept from its training forward pass (say its pre-activation) and for which input array, so that
 * backprop reuses it only for that same input, and only once: any other call (inference in between, a new batch,
 * DL4J calling backprop on its own) falls back to recomputing.
 */
public final class KeptForwardPass {
    private INDArray input;
    private INDArray value;
    /** The copy {@link #copyToKeep} makes outside workspaces, reused from pass to pass while its shape repeats. */
    private INDArray detachedCopy;

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
        keep(input, copyToKeep(z, Nd4j.order(), workspaceMgr));
        return ActivationBackprop.activate(activation, z);
    }

    /**
     * A copy of {@code z} in {@code order} for the layer to keep until its backprop: in the activations workspace when
     * the forward pass has one (DL4J's own fit), else in one array of this object's, overwritten by the next pass
     * (reallocated when the shape changes). A network trained by external errors, as the GAN is, runs its forward
     * pass with detached activations, and a fresh copy every pass would be native memory freed only when the
     * garbage collector finds its Java object: new pages every step once collections are rare (the W7 slow mode,
     * benchmarks/PERFORMANCE.md). The previous pass's copy is dead by then: backprop uses it up ({@link #take}) and
     * every forward pass starts by forgetting it ({@link #clear}).
     */
    public INDArray copyToKeep(INDArray z, char order, LayerWorkspaceMgr workspaceMgr) {
        if (!workspaceMgr.isScopedOut(ArrayType.ACTIVATIONS)) {
            return workspaceMgr.dup(ArrayType.ACTIVATIONS, z, order);
        }
        if (detachedCopy == null || detachedCopy.dataType() != z.dataType() || detachedCopy.ordering() != order
                || !Arrays.equals(detachedCopy.shape(), z.shape())) {
            if (detachedCopy != null && detachedCopy.closeable()) {
                detachedCopy.close();
            }
            // The layer runs inside DL4J's working-memory workspace; the copy must outlive it.
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                detachedCopy = Nd4j.createUninitialized(z.dataType(), z.shape(), order);
            }
        }
        return detachedCopy.assign(z);
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
