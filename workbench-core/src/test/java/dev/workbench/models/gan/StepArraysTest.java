package dev.workbench.models.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** What a GAN step frees when it ends: arrays that own their memory, once; never views or workspace arrays. */
class StepArraysTest {
    @Test
    void closesOwnedArraysOnceAndLeavesViewsAndTheirBase() {
        StepArrays step = new StepArrays();
        INDArray owned = Nd4j.rand(DataType.FLOAT, 4, 4);
        INDArray base = Nd4j.rand(DataType.FLOAT, 4, 4);
        INDArray row = base.getRow(1);
        step.add(owned);
        step.add(owned);
        step.add(row);
        step.add(null);
        step.close();
        assertTrue(owned.wasClosed());
        assertFalse(base.wasClosed());
        assertEquals(base.getFloat(1, 2), row.getFloat(2));
        step.close();
    }

    @Test
    void leavesWorkspaceArraysToTheirWorkspace() {
        StepArrays step = new StepArrays();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().getAndActivateWorkspace("StepArraysTest")) {
            INDArray attached = Nd4j.rand(DataType.FLOAT, 3);
            step.add(attached);
            step.close();
            assertFalse(attached.wasClosed());
            assertEquals(3, attached.length());
        }
    }
}
