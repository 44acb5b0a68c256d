package dev.workbench.models.rnn;

import dev.workbench.models.ExactGradientSameDiffLayer;
import dev.workbench.models.LayerSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.ExternalErrorsFunction;

/**
 * DL4J's runtime for SameDiff layers, corrected for sequences:
 * <ul>
 *   <li>one graph per sequence length: DL4J builds a SameDiff layer's graph once, its input placeholder shaped
 *       like the first input, and {@link Gru} unrolls that many steps. A new length (text generation grows
 *       its window a token at a time) builds, or reuses, the graph for that length;</li>
 *   <li>gradients halved and SameDiff's debug lines dropped, as for every workbench SameDiff layer
 *       ({@link ExactGradientSameDiffLayer}); GruTest's gradient check guards it.</li>
 * </ul>
 */
final class SequenceSameDiffLayer extends ExactGradientSameDiffLayer {
    private static final int CACHED_LENGTHS = 8;

    private record Graph(SameDiff sameDiff, SDVariable outputVar, ExternalErrorsFunction fn, String outputKey) {
    }

    private final Map<Long, Graph> graphs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Graph> eldest) {
            return size() > CACHED_LENGTHS;
        }
    };
    private long builtFor = -1;

    SequenceSameDiffLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** As SameDiffLayer.instantiate does, with this runtime. */
    static SequenceSameDiffLayer instantiate(NeuralNetConfiguration conf, int index, INDArray paramsView,
                                             boolean initializeParams, DataType dataType) {
        return LayerSettings.attach(new SequenceSameDiffLayer(conf, dataType), conf, null, index, paramsView, initializeParams);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        selectGraph();
        return super.activate(training, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        selectGraph();
        return super.backpropGradient(epsilon, workspaceMgr);
    }

    private void selectGraph() {
        assertInputSet(false);
        long steps = input.rank() == 3 ? input.size(2) : 0;
        if (sameDiff != null && steps == builtFor) {
            return;
        }
        if (sameDiff != null) {
            graphs.put(builtFor, new Graph(sameDiff, outputVar, fn, outputKey));
        }
        Graph cached = graphs.remove(steps);
        if (cached == null) {
            sameDiff = null;  // SameDiffLayer.activate builds it for this input
        } else {
            sameDiff = cached.sameDiff();
            outputVar = cached.outputVar();
            fn = cached.fn();
            outputKey = cached.outputKey();
        }
        builtFor = steps;
    }
}
