package dev.workbench.cpu.conv;

import dev.workbench.cpu.kernels.ChannelBias;
import dev.workbench.cpu.kernels.KeptForwardPass;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.layers.convolution.Deconvolution2DLayer;
import org.deeplearning4j.nn.params.DeconvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's transposed-convolution layer except that backprop reuses the pre-activation of the training forward pass
 * (DL4J's own backprop runs the forward deconv2d again to differentiate the activation), that a layer with one
 * output channel computes its forward pass with {@link OneChannelTransposedConvolution} instead of libnd4j's deconv2d,
 * and that a layer with more adds its bias itself ({@link ChannelBias}) after libnd4j's deconv2d without one.
 * The kept copy lives in the activations workspace, held until backprop is done.
 */
final class CachedDeconvolutionLayer extends Deconvolution2DLayer {
    private final KeptForwardPass kept = new KeptForwardPass(); // the pre-activation
    private OneChannelTransposedConvolution oneChannel;

    CachedDeconvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        kept.clear();
        if (!training || input == null || maskArray != null || layerConf().getWeightNoise() != null) {
            return super.activate(training, workspaceMgr);
        }
        applyDropOutIfNecessary(true, workspaceMgr);
        return kept.keepAndActivate(input, preOutput(true, false, workspaceMgr).getFirst(), layerConf().getActivationFn(),
                workspaceMgr);
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        Deconvolution2D conf = (Deconvolution2D) layerConf();
        INDArray weights = getParam(DeconvolutionParamInitializer.WEIGHT_KEY);
        boolean onHost = conf.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && (conf.getConvolutionMode() == ConvolutionMode.Truncate || conf.getConvolutionMode() == ConvolutionMode.Strict)
                && input != null && input.rank() == 4 && input.dataType() == DataType.FLOAT && weights.dataType() == DataType.FLOAT
                && input.size(1) == weights.size(0) && layerConf().getWeightNoise() == null && Nd4j.getEnvironment().isCPU();
        if (!onHost || (conf.getNOut() != 1 && !conf.hasBias())) {
            return super.preOutput(training, forBackprop, workspaceMgr);
        }
        int[] kernel = conf.getKernelSize();
        int[] stride = conf.getStride();
        int[] padding = conf.getPadding();
        int[] dilation = conf.getDilation();
        long height = (input.size(2) - 1) * stride[0] + (long) (kernel[0] - 1) * dilation[0] + 1 - 2L * padding[0];
        long width = (input.size(3) - 1) * stride[1] + (long) (kernel[1] - 1) * dilation[1] + 1 - 2L * padding[1];
        long[] shape = {input.size(0), conf.getNOut(), height, width};
        if (conf.getNOut() == 1) {
            INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, shape, 'c');
            if (oneChannel == null) {
                oneChannel = new OneChannelTransposedConvolution();
            }
            oneChannel.compute(input, weights, kernel, stride, padding, dilation, z);
            if (conf.hasBias()) {
                z.addi(getParam(DeconvolutionParamInitializer.BIAS_KEY).getDouble(0));
            }
            return new Pair<>(z, null);
        }
        // libnd4j's deconv2d as DL4J calls it, but without the bias, which oneDNN adds in a scalar reference loop
        // (about a third of the op's time in the DCGAN generator); added here per channel in vector lanes, the
        // same float additions.
        INDArray z = workspaceMgr.create(ArrayType.ACTIVATIONS, DataType.FLOAT, shape, 'c');
        Nd4j.exec(DynamicCustomOp.builder("deconv2d")
                .addInputs(input, weights.permute(2, 3, 1, 0)) // DL4J's [in, out, kH, kW] as libnd4j's [kH, kW, out, in]
                .addIntegerArguments(kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], dilation[0],
                        dilation[1], 0 /* not Same mode */, 0 /* NCHW */)
                .addOutputs(z).callInplace(false).build());
        ChannelBias.addInPlace(z, getParam(DeconvolutionParamInitializer.BIAS_KEY));
        return new Pair<>(z, null);
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput4d(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        Pair<INDArray, INDArray> keptPass = forBackprop ? kept.forBackprop(input) : null;
        return keptPass != null ? keptPass : super.preOutput4d(training, forBackprop, workspaceMgr);
    }
}
