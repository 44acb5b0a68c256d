package dev.workbench.cpu.transformer;

import dev.workbench.models.LayerSettings;
import dev.workbench.models.transformer.TransformerEncoderBlock;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The workbench's transformer encoder block (same parameters, same function, same saved form apart from the class
 * name) trained through {@link EncoderBlockPass} instead of a SameDiff session: see
 * {@link HostRowsLayer}.
 */
public class HostTransformerEncoderBlock extends TransformerEncoderBlock {
    /** For Jackson; build one with {@link #of}. */
    public HostTransformerEncoderBlock() {
    }

    /** The same block as {@code block}, every setting copied. */
    public static HostTransformerEncoderBlock of(TransformerEncoderBlock block) {
        return LayerSettings.copy(block, TransformerEncoderBlock.class, new HostTransformerEncoderBlock());
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType dataType) {
        return LayerSettings.attach(new HostRowsLayer(conf, dataType, () -> new EncoderBlockPass(this)), conf, null, layerIndex, paramsView,
                initializeParams);
    }
}
