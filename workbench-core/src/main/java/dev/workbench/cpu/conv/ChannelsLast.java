package dev.workbench.cpu.conv;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** NCHW arrays that lie channels-last in memory, the layout the first convolution trains on and hands to pooling. */
final class ChannelsLast {
    private ChannelsLast() {
    }

    /**
     * An uninitialised float {@code [batch, channels, height, width]} view of a row-major
     * {@code [batch, height, width, channels]} array.
     */
    static INDArray create(LayerWorkspaceMgr workspaceMgr, ArrayType type, long batch, long channels, long height,
                           long width) {
        return workspaceMgr.createUninitialized(type, DataType.FLOAT, new long[]{batch, height, width, channels}, 'c')
                .permute(0, 3, 1, 2);
    }
}
