package dev.workbench.cpu.rnn;

import dev.workbench.cpu.kernels.KeptForwardPass;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's LSTM layer whose full-sequence training pass runs on {@link LstmSequence}: the forward pass is kept and
 * reused by backprop instead of recomputed. Anything that path does not cover goes to DL4J's implementation
 * unchanged: masks, truncated BPTT and stored state ({@code rnnTimeStep}), weight noise, NWC data, other data types
 * or activations, and non-CPU backends (where a host loop would copy every step to the host).
 */
final class CachedLstmLayer extends LSTM {
    private final LstmSequence sequence = new LstmSequence();
    private final KeptForwardPass kept = new KeptForwardPass();

    CachedLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return activate(training, workspaceMgr);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        kept.clear();
        assertInputSet(false);
        if (!hostPathApplies()) {
            return super.activate(training, workspaceMgr);
        }
        applyDropOutIfNecessary(training, workspaceMgr);
        long batch = input.size(0);
        long steps = input.size(2);
        sequence.forward(input.permute(2, 0, 1), getParam(LSTMParamInitializer.INPUT_WEIGHT_KEY),
                getParam(LSTMParamInitializer.RECURRENT_WEIGHT_KEY), getParam(LSTMParamInitializer.BIAS_KEY));
        // Stored as [batch, time, H] in 'f' order and returned as its [batch, H, time] view: the layout DL4J's
        // time-distributed layers (RnnOutputLayer) flatten to [time * batch, H] with a plain copy.
        INDArray activations = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                new long[]{batch, steps, layerConf().getNOut()}, 'f');
        sequence.copyOutputsTo(activations);
        if (training) {
            kept.keep(input);
        }
        return activations.permute(0, 2, 1);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        boolean inputGradient = ((CachedLstm) layerConf()).isInputGradient();
        if (kept.take(input) == null || !hostPathApplies()) {
            Pair<Gradient, INDArray> dl4j = super.backpropGradient(epsilon, workspaceMgr);
            return inputGradient ? dl4j : new Pair<>(dl4j.getFirst(), null);
        }
        long batch = input.size(0);
        long steps = input.size(2);
        INDArray gradW = gradientViews.get(LSTMParamInitializer.INPUT_WEIGHT_KEY);
        INDArray gradRW = gradientViews.get(LSTMParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray gradB = gradientViews.get(LSTMParamInitializer.BIAS_KEY);
        INDArray dx = sequence.backward(epsilon.permute(2, 0, 1), getParam(LSTMParamInitializer.INPUT_WEIGHT_KEY),
                getParam(LSTMParamInitializer.RECURRENT_WEIGHT_KEY), gradW, gradRW, gradB, inputGradient);
        INDArray epsilonOut = null;
        if (inputGradient) {
            epsilonOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                    new long[]{batch, input.size(1), steps}, 'f');
            epsilonOut.assign(dx.reshape(steps, batch, input.size(1)).permute(1, 2, 0));
            epsilonOut = backpropDropOutIfPresent(epsilonOut);
        }
        // DL4J's order, which its flattened gradient view relies on.
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(LSTMParamInitializer.INPUT_WEIGHT_KEY, gradW);
        gradient.gradientForVariable().put(LSTMParamInitializer.RECURRENT_WEIGHT_KEY, gradRW);
        gradient.gradientForVariable().put(LSTMParamInitializer.BIAS_KEY, gradB);
        return new Pair<>(gradient, epsilonOut);
    }

    private boolean hostPathApplies() {
        org.deeplearning4j.nn.conf.layers.LSTM conf = layerConf();
        return maskArray == null && input.rank() == 3 && input.dataType() == DataType.FLOAT
                && getParam(LSTMParamInitializer.INPUT_WEIGHT_KEY).dataType() == DataType.FLOAT && getDataFormat() == RNNFormat.NCW
                && conf.getGateActivationFn() instanceof ActivationSigmoid
                && conf.getActivationFn() instanceof ActivationTanH
                && conf.getWeightNoise() == null && Nd4j.getEnvironment().isCPU();
    }
}
