package dev.workbench.models.transformer;

import dev.workbench.models.LayerSettings;
import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's dropout layer for sequences that may carry a padding mask: DL4J's runtime multiplies its input by the mask
 * as a column vector, which fails for {@code [batch, features, time]}. Dropout is element-wise and the layers after
 * it skip padding, so this runtime drops units as DL4J's does and leaves the mask to them.
 */
public class SequenceDropout extends DropoutLayer {
    /** For Jackson; use {@link #SequenceDropout(double)}. */
    public SequenceDropout() {
    }

    /** Dropout keeping each unit with probability {@code retain} (DL4J's convention), in training only. */
    public SequenceDropout(double retain) {
        super(retain);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType dataType) {
        return LayerSettings.attach(new Runtime(conf, dataType), conf, listeners, layerIndex, paramsView, initializeParams);
    }

    private static final class Runtime extends org.deeplearning4j.nn.layers.DropoutLayer {
        Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray mask = sequenceMaskHidden();
            try {
                return super.activate(training, workspaceMgr);
            } finally {
                maskArray = mask;
            }
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            INDArray mask = sequenceMaskHidden();
            try {
                return super.backpropGradient(epsilon, workspaceMgr);
            } finally {
                maskArray = mask;
            }
        }

        /** Hides a {@code [batch, time]} mask of sequence input from DL4J's runtime; returns it to restore. */
        private INDArray sequenceMaskHidden() {
            INDArray mask = maskArray;
            if (mask != null && input != null && input.rank() == 3) {
                maskArray = null;
            }
            return mask;
        }
    }
}
