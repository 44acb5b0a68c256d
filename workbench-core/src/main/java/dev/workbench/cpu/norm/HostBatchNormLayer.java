package dev.workbench.cpu.norm;

import dev.workbench.cpu.kernels.HostArrays;
import dev.workbench.cpu.kernels.VectorModule;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.DivOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * DL4J's batch-norm layer, except that training on NCHW float activations on the CPU runs as {@link ChannelBatchNorm}
 * passes over Java arrays instead of DL4J's own batch mean and variance followed by oneDNN's forward and backward
 * (profiled at 39 ms of the DCGAN step's 181). The running statistics move exactly as DL4J moves them: the backward
 * pass returns, as their "gradient", DL4J's update for them, computed by the same ND4J operations from this pass's
 * batch mean and variance. Inference, 2-D input, other layouts, fixed gamma and beta, dropout and GPUs go through
 * DL4J.
 */
final class HostBatchNormLayer extends BatchNormalization {
    private static final double ONE_ON_2LOGE_10 = 1.0 / (2.0 * Math.log(10.0));

    /** The last training pass, which the backward pass reads; null after an inference pass or a DL4J pass. */
    private Pass kept;

    HostBatchNormLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        VectorModule.require();
    }

    /** What the backward pass needs of a training pass: its input and per-channel statistics. */
    private record Pass(long[] shape, ChannelBatchNorm norm, float[] x, float[] mean, float[] variance,
                        float[] inverseStd) {
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        kept = null;
        if (!training || !applies(input)) {
            return super.activate(training, workspaceMgr);
        }
        long[] shape = input.shape();
        int channels = (int) shape[1];
        ChannelBatchNorm norm = new ChannelBatchNorm((int) shape[0], channels, (int) (shape[2] * shape[3]));
        float[] x = HostArrays.read(input, new float[(int) input.length()]);
        float[] mean = new float[channels];
        float[] variance = new float[channels];
        norm.statistics(x, mean, variance);
        float[] gamma = read(BatchNormalizationParamInitializer.GAMMA);
        float[] beta = read(BatchNormalizationParamInitializer.BETA);
        float[] inverseStd = new float[channels];
        float[] scale = new float[channels];
        float[] offset = new float[channels];
        double eps = layerConf().getEps();
        for (int c = 0; c < channels; c++) {
            inverseStd[c] = (float) (1.0 / Math.sqrt(variance[c] + eps));
            scale[c] = gamma[c] * inverseStd[c];
            offset[c] = beta[c] - mean[c] * scale[c];
        }
        float[] y = new float[x.length];
        norm.affine(x, scale, offset, y);
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, shape, 'c');
        HostArrays.write(y, output);
        kept = new Pass(shape, norm, x, mean, variance, inverseStd);
        return output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Pass pass = kept;
        if (pass == null || epsilon.dataType() != DataType.FLOAT || !Arrays.equals(pass.shape, epsilon.shape())
                || !Arrays.equals(pass.shape, input.shape())) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        int channels = pass.mean.length;
        float[] g = HostArrays.read(epsilon, new float[pass.x.length]);
        float[] gSum = new float[channels];
        float[] gCentred = new float[channels];
        pass.norm.gradientSums(pass.x, g, pass.mean, gSum, gCentred);
        float[] gamma = read(BatchNormalizationParamInitializer.GAMMA);
        float[] dGamma = new float[channels];
        float[] gScale = new float[channels];
        float[] xScale = new float[channels];
        float[] offset = new float[channels];
        float count = pass.norm.count();
        for (int c = 0; c < channels; c++) {
            float s = pass.inverseStd[c];
            dGamma[c] = gCentred[c] * s;
            // dx = γ·s·(g − Σg/M − x̂·dγ/M), x̂ = (x − μ)·s, folded into a·g + b·x + d.
            gScale[c] = gamma[c] * s;
            xScale[c] = -gScale[c] * s * dGamma[c] / count;
            offset[c] = -gScale[c] * gSum[c] / count - xScale[c] * pass.mean[c];
        }
        float[] dx = new float[g.length];
        pass.norm.inputGradient(pass.x, g, gScale, xScale, offset, dx);
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                pass.shape, 'c');
        HostArrays.write(dx, inputGradient);

        Gradient gradient = new DefaultGradient();
        INDArray dGammaView = gradientViews.get(BatchNormalizationParamInitializer.GAMMA);
        INDArray dBetaView = gradientViews.get(BatchNormalizationParamInitializer.BETA);
        HostArrays.write(dGamma, dGammaView);
        HostArrays.write(gSum, dBetaView);
        gradient.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        gradient.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        runningStatisticsUpdate(pass, gradient);
        return new Pair<>(gradient, inputGradient);
    }

    /**
     * DL4J's update of the running mean and variance (or log10 of the standard deviation), as the "gradient" its
     * no-op updater subtracts: (1 − decay) · (global − batch) for the mean; for the log10 std, log10 of
     * var / (decay · var + (1 − decay) · batchVar) halved; the same ND4J operations in the same order.
     */
    private void runningStatisticsUpdate(Pass pass, Gradient gradient) {
        double decay = layerConf().getDecay();
        decayedDifference(BatchNormalizationParamInitializer.GLOBAL_MEAN, pass.mean, decay, gradient);
        if (layerConf().isUseLogStd()) {
            INDArray log10Std = getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            INDArray batchVar = Nd4j.createFromArray(pass.variance).reshape(log10Std.shape());
            INDArray dLog10Std = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
            INDArray vari = Nd4j.createUninitialized(DataType.FLOAT, log10Std.shape()).assign(10.0);
            Transforms.pow(vari, log10Std, false);
            vari.muli(vari);
            INDArray varip1 = vari.mul(decay).addi(batchVar.mul(1 - decay));
            Nd4j.getExecutioner().exec(new DivOp(vari, varip1, dLog10Std));
            Transforms.log(dLog10Std, false);
            dLog10Std.muli(ONE_ON_2LOGE_10);
            gradient.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_LOG_STD, dLog10Std);
        } else {
            decayedDifference(BatchNormalizationParamInitializer.GLOBAL_VAR, pass.variance, decay, gradient);
        }
    }

    /** Into {@code param}'s gradient view, DL4J's (1 − decay) · (global − batch), by its SubOp and muli. */
    private void decayedDifference(String param, float[] batch, double decay, Gradient gradient) {
        INDArray global = getParam(param);
        INDArray view = gradientViews.get(param);
        Nd4j.getExecutioner().exec(new SubOp(global, Nd4j.createFromArray(batch).reshape(global.shape()), view));
        view.muli(1 - decay);
        gradient.setGradientFor(param, view);
    }

    private float[] read(String param) {
        INDArray p = getParam(param);
        return HostArrays.read(p, new float[(int) p.length()]);
    }

    private boolean applies(INDArray x) {
        org.deeplearning4j.nn.conf.layers.BatchNormalization conf = layerConf();
        return x.dataType() == DataType.FLOAT && x.rank() == 4 && conf.getCnn2DFormat() == CNN2DFormat.NCHW
                && !conf.isLockGammaBeta() && conf.getIDropout() == null && params().dataType() == DataType.FLOAT
                && Nd4j.getEnvironment().isCPU() && x.length() > 0;
    }
}
