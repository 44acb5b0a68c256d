package dev.workbench.cpu.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What a layer keeps from its forward pass is handed back once, and only for the same input array. */
class KeptForwardPassTest {
    private final INDArray input = Nd4j.rand(DataType.FLOAT, 4, 3);
    private final INDArray preActivation = Nd4j.rand(DataType.FLOAT, 4, 2);

    @Test
    void handsBackWhatWasKeptForTheSameInputOnce() {
        KeptForwardPass kept = new KeptForwardPass();
        kept.keep(input, preActivation);
        assertSame(preActivation, kept.take(input));
        assertNull(kept.take(input), "used up");
    }

    @Test
    void anEqualButDifferentInputArrayGetsNothing() {
        KeptForwardPass kept = new KeptForwardPass();
        kept.keep(input, preActivation);
        assertNull(kept.take(input.dup()));
        assertNull(kept.take(input), "a miss uses it up too");
    }

    @Test
    void aLayerThatKeepsItselfGetsItsInputBackAndClearForgets() {
        KeptForwardPass kept = new KeptForwardPass();
        kept.keep(input);
        assertSame(input, kept.take(input));
        kept.keep(input);
        kept.clear();
        assertNull(kept.take(input));
    }

    @Test
    void keepsACopyOfThePreActivationAndActivatesTheOriginalInPlace() {
        KeptForwardPass kept = new KeptForwardPass();
        INDArray z = preActivation.dup().subi(0.5);
        INDArray before = z.dup();
        INDArray activated = kept.keepAndActivate(input, z, new org.nd4j.linalg.activations.impl.ActivationReLU(),
                org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());
        assertSame(z, activated);
        assertEquals(org.nd4j.linalg.ops.transforms.Transforms.relu(before, true), activated);
        assertEquals(before, kept.forBackprop(input).getFirst(), "the pre-activation, not the activation");
        assertNull(kept.forBackprop(input), "used up");
    }

    @Test
    void withoutAWorkspaceTheCopyIsOneArrayOverwrittenWhileTheShapeRepeats() {
        KeptForwardPass kept = new KeptForwardPass();
        LayerWorkspaceMgr detached = LayerWorkspaceMgr.noWorkspaces();
        INDArray first = kept.copyToKeep(preActivation, 'c', detached);
        assertNotSame(preActivation, first);
        assertEquals(preActivation, first);
        INDArray next = Nd4j.rand(DataType.FLOAT, 4, 2);
        INDArray second = kept.copyToKeep(next, 'c', detached);
        assertSame(first, second, "the next pass's copy reuses the array");
        assertEquals(next, second);
        INDArray otherShape = Nd4j.rand(DataType.FLOAT, 3, 2);
        INDArray third = kept.copyToKeep(otherShape, 'c', detached);
        assertEquals(otherShape, third);
        assertTrue(first.wasClosed(), "the array of the old shape is freed at once");
        assertEquals('f', kept.copyToKeep(otherShape, 'f', detached).ordering());
    }

    @Test
    void inAnActivationsWorkspaceTheCopyIsTheWorkspaces() {
        KeptForwardPass kept = new KeptForwardPass();
        LayerWorkspaceMgr inWorkspace = LayerWorkspaceMgr.builder()
                .with(ArrayType.ACTIVATIONS, "KeptForwardPassTest", WorkspaceConfiguration.builder().build()).build();
        try (MemoryWorkspace ignored = inWorkspace.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            INDArray copy = kept.copyToKeep(preActivation, 'c', inWorkspace);
            assertTrue(copy.isAttached());
            assertEquals(preActivation, copy);
        }
    }

    @Test
    void theDetachedCopyOutlivesAnOpenWorkspace() {
        KeptForwardPass kept = new KeptForwardPass();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace("KeptForwardPassTest-working")) {
            assertFalse(kept.copyToKeep(preActivation, 'c', LayerWorkspaceMgr.noWorkspaces()).isAttached());
        }
    }
}
