package dev.workbench.cpu.transformer;

import dev.workbench.cpu.kernels.KeptForwardPass;
import dev.workbench.models.ExactGradientSameDiffLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.util.function.Supplier;

/**
 * The runtime of a workbench sequence layer with a host twin ({@link HostTransformerEncoderBlock},
 * {@link HostSequenceLayerNorm}, {@code dev.workbench.cpu.rnn.HostLstm}): on the CPU backend and float data, it runs the layer's {@link RowsPass} (forward
 * kept for backprop); otherwise (other data types, a GPU) DL4J's SameDiff execution of the layer's graph, which stays
 * the definition both must agree with.
 */
public final class HostRowsLayer extends ExactGradientSameDiffLayer {
    private final Supplier<RowsPass> passes;
    private RowsPass pass;
    private final KeptForwardPass kept = new KeptForwardPass();

    /** @param passes makes the layer's pass on its first host forward pass */
    public HostRowsLayer(NeuralNetConfiguration conf, DataType dataType, Supplier<RowsPass> passes) {
        super(conf, dataType);
        this.passes = passes;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        kept.clear();
        assertInputSet(false);
        if (!hostPathApplies()) {
            return super.activate(training, workspaceMgr);
        }
        if (pass == null) {
            pass = passes.get();
        }
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                new long[]{input.size(0), input.size(2), pass.outputFeatures(input.size(1))}, 'c');
        pass.forward(input, maskArray, paramTable, output);
        if (training) {
            kept.keep(input);
        }
        return output.permute(0, 2, 1);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (kept.take(input) == null || !hostPathApplies()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                new long[]{input.size(0), input.size(2), input.size(1)}, 'c');
        pass.backward(epsilon, paramTable, gradTable, inputGradient);
        Gradient gradient = new DefaultGradient();
        // In the parameter table's order, as DL4J's SameDiff runtime returns them.
        for (String name : paramTable.keySet()) {
            gradient.gradientForVariable().put(name, gradTable.get(name));
        }
        return new Pair<>(gradient, inputGradient.permute(0, 2, 1));
    }

    private boolean hostPathApplies() {
        return input.rank() == 3 && input.dataType() == DataType.FLOAT && params.dataType() == DataType.FLOAT
                && (maskArray == null || maskArray.rank() == 2) && Nd4j.getEnvironment().isCPU();
    }
}
