package dev.workbench.models.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a GAN step frees when it ends: arrays that own their memory, and the buffer under a view of all of it, once;
 * never views of part of a buffer or workspace arrays.
 */
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
    void freesTheBufferUnderAViewOfAllOfItOnce() {
        // A convolution trained channels-last hands on its row-major [batch, h, w, channels] output as an NCHW view.
        StepArrays step = new StepArrays();
        INDArray rows = Nd4j.rand(DataType.FLOAT, 2, 3, 3, 4);
        INDArray nchw = rows.permute(0, 3, 1, 2);
        step.add(nchw);
        step.add(rows);
        step.close();
        assertTrue(rows.wasClosed());
        assertTrue(nchw.data().wasClosed());
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
