package dev.workbench.cpu.conv;

import dev.workbench.cpu.kernels.ActivationBackprop;
import dev.workbench.cpu.kernels.KeptForwardPass;
import dev.workbench.cpu.kernels.HostArrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's convolution layer (oneDNN or cuDNN helpers included) except that backprop reuses the pre-activation of the
 * training forward pass instead of running the forward convolution again. The kept copy lives in the activations
 * workspace, which DL4J holds until backprop is done. On oneDNN the backward pass is libnd4j's conv2d_bp after this
 * layer's own activation backprop ({@link #convolutionBackward}); a first layer
 * ({@link CachedConvolution#withoutInputGradient()}) computes only its weight and bias gradients
 * ({@link ConvWeightGradient}), and trains on a channels-last output ({@link #channelsLastPreOutput}).
 */
final class CachedConvolutionLayer extends ConvolutionLayer {
    private final KeptForwardPass kept = new KeptForwardPass(); // the pre-activation
    private ConvWeightGradient weightGradient;
    private OneChannelTransposedConvolution oneChannelInput;
    private OpContext forwardContext;
    private OpContext backwardContext;

    CachedConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        kept.clear();
        if (!training || input == null || maskArray != null || layerConf().getWeightNoise() != null) {
            return super.activate(training, workspaceMgr);
        }
        applyDropOutIfNecessary(true, workspaceMgr);
        if (trainsChannelsLast()) {
            INDArray z = channelsLastPreOutput(workspaceMgr);
            INDArray zRows = z.permute(0, 2, 3, 1); // the same memory as a row-major [batch, h, w, channels] array
            kept.keep(input, kept.copyToKeep(zRows, 'c', workspaceMgr).permute(0, 3, 1, 2));
            ActivationBackprop.activate(layerConf().getActivationFn(), zRows);
            return z;
        }
        return kept.keepAndActivate(input, preOutput(true, false, workspaceMgr).getFirst(), layerConf().getActivationFn(),
                workspaceMgr);
    }

    /**
     * A first layer's training forward pass runs on oneDNN with its output laid out channels-last in memory: libnd4j
     * describes an NCHW output to oneDNN by its strides, and oneDNN computes these convolutions channels-last, so an
     * ordinary row-major output was reordered twice a call (its uninitialised contents in, the result back out). Its
     * own backward pass and {@link HostMaxPoolingLayer} read that layout directly; other layers see an ordinary NCHW
     * array (a permuted view).
     */
    private boolean trainsChannelsLast() {
        return (!((CachedConvolution) layerConf()).isInputGradient() || input.size(1) == 1) && input.rank() == 4
                && input.size(1) == getParam(ConvolutionParamInitializer.WEIGHT_KEY).size(1) && runsOnOneDnn();
    }

    /** Float NCHW on the CPU with DL4J's oneDNN helpers on: the case whose libnd4j ops this layer may call itself. */
    private boolean runsOnOneDnn() {
        return layerConf().getCnn2dDataFormat() == CNN2DFormat.NCHW && input.dataType() == DataType.FLOAT
                && getParam(ConvolutionParamInitializer.WEIGHT_KEY).dataType() == DataType.FLOAT
                && Nd4j.getEnvironment().isCPU() && BaseMKLDNNHelper.mklDnnEnabled();
    }

    /** The pre-activation {@code [batch, channels, h, w]}, as a view of a row-major {@code [batch, h, w, channels]} array. */
    private INDArray channelsLastPreOutput(LayerWorkspaceMgr workspaceMgr) {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer conf = layerConf();
        INDArray weights = getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        int[] outSize = ConvolutionUtils.getOutputSize(input, conf.getKernelSize(), conf.getStride(),
                convolutionMode == ConvolutionMode.Same ? null : conf.getPadding(), convolutionMode, conf.getDilation(), CNN2DFormat.NCHW);
        INDArray output = ChannelsLast.create(workspaceMgr, ArrayType.ACTIVATIONS, input.size(0), weights.size(0),
                outSize[0], outSize[1]);
        forwardContext = convolutionContext(forwardContext, topLeftPadding(outSize[0], outSize[1]));
        forwardContext.setInputArray(0, input);
        forwardContext.setInputArray(1, weights);
        if (hasBias()) {
            forwardContext.setInputArray(2, getParam(ConvolutionParamInitializer.BIAS_KEY));
        }
        forwardContext.setOutputArray(0, output);
        Nd4j.exec(new Conv2D(), forwardContext);
        return output;
    }

    /**
     * dLoss/dInput, with the weight and bias gradients written into their views, from dLoss/dz: libnd4j's conv2d_bp,
     * the op DL4J's oneDNN helper calls, but after this layer's own activation backprop ({@link ActivationBackprop},
     * cheaper than ND4J's ReLU backprop).
     */
    private INDArray convolutionBackward(INDArray delta, INDArray weightGrad, INDArray biasGrad, LayerWorkspaceMgr workspaceMgr) {
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        if (input.size(1) == 1) {
            // One input channel (a GAN discriminator's first layer, whose input gradient trains the generator): oneDNN's
            // backward-data convolution is slow there, so the weights' gradient comes from ConvWeightGradient and the
            // input's from OneChannelTransposedConvolution.
            if (oneChannelInput == null) {
                weightGradient = new ConvWeightGradient();
                oneChannelInput = new OneChannelTransposedConvolution();
            }
            org.deeplearning4j.nn.conf.layers.ConvolutionLayer conf = layerConf();
            int[] padding = topLeftPadding(delta);
            weightGradient.compute(input, delta, conf.getKernelSize(), conf.getStride(), padding, conf.getDilation(),
                    weightGrad, biasGrad);
            oneChannelInput.compute(delta, getParam(ConvolutionParamInitializer.WEIGHT_KEY), conf.getKernelSize(),
                    conf.getStride(), padding, conf.getDilation(), inputGradient);
            return backpropDropOutIfPresent(inputGradient);
        }
        backwardContext = convolutionContext(backwardContext, topLeftPadding(delta));
        int in = 0;
        backwardContext.setInputArray(in++, input);
        backwardContext.setInputArray(in++, getParam(ConvolutionParamInitializer.WEIGHT_KEY));
        if (biasGrad != null) {
            backwardContext.setInputArray(in++, getParam(ConvolutionParamInitializer.BIAS_KEY));
        }
        backwardContext.setInputArray(in, delta);
        backwardContext.setOutputArray(0, inputGradient);
        backwardContext.setOutputArray(1, weightGrad);
        if (biasGrad != null) {
            backwardContext.setOutputArray(2, biasGrad);
        }
        Nd4j.exec(new Conv2DDerivative(), backwardContext);
        return backpropDropOutIfPresent(inputGradient);
    }

    /** {@code context} (created when null), emptied and given this layer's convolution arguments, as DL4J's helper sets them. */
    private OpContext convolutionContext(OpContext context, int[] padding) {
        OpContext ready = context != null ? context : Nd4j.getExecutioner().buildContext();
        ready.purge();
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer conf = layerConf();
        ready.setIArguments(conf.getKernelSize()[0], conf.getKernelSize()[1], conf.getStride()[0], conf.getStride()[1],
                padding[0], padding[1], conf.getDilation()[0], conf.getDilation()[1],
                convolutionMode == ConvolutionMode.Same ? 1 : 0, 0 /* NCHW */, 1 /* weights [out, in, kh, kw] */);
        return ready;
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput4d(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        Pair<INDArray, INDArray> keptPass = forBackprop ? kept.forBackprop(input) : null;
        return keptPass != null ? keptPass : super.preOutput4d(training, forBackprop, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        boolean inputGradient = ((CachedConvolution) layerConf()).isInputGradient();
        if (inputGradient && !runsOnOneDnn()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray z = layerConf().getCnn2dDataFormat() == CNN2DFormat.NCHW && input.dataType() == DataType.FLOAT
                && epsilon.dataType() == DataType.FLOAT ? kept.take(input) : null;
        if (z == null) {
            Pair<Gradient, INDArray> dl4j = super.backpropGradient(epsilon, workspaceMgr);
            return inputGradient ? dl4j : new Pair<>(dl4j.getFirst(), null);
        }
        INDArray zRows = HostArrays.channelsLast(z);
        INDArray delta = zRows == null ? ActivationBackprop.delta(layerConf().getActivationFn(), z, epsilon)
                : ActivationBackprop.delta(layerConf().getActivationFn(), zRows, epsilon.permute(0, 2, 3, 1)).permute(0, 3, 1, 2);
        Gradient gradient = new DefaultGradient();
        INDArray biasGrad = hasBias() ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
        INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray inputGradientArray = null;
        if (inputGradient) {
            inputGradientArray = convolutionBackward(delta, weightGrad, biasGrad, workspaceMgr);
        } else {
            if (weightGradient == null) {
                weightGradient = new ConvWeightGradient();
            }
            org.deeplearning4j.nn.conf.layers.ConvolutionLayer conf = layerConf();
            weightGradient.compute(input, delta, conf.getKernelSize(), conf.getStride(), topLeftPadding(delta), conf.getDilation(),
                    weightGrad, biasGrad);
        }
        if (biasGrad != null) {
            gradient.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
        }
        gradient.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad);
        return new Pair<>(gradient, inputGradientArray);
    }

    private int[] topLeftPadding(INDArray delta) {
        return topLeftPadding((int) delta.size(2), (int) delta.size(3));
    }

    private int[] topLeftPadding(int outHeight, int outWidth) {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer conf = layerConf();
        if (convolutionMode != ConvolutionMode.Same) {
            return conf.getPadding();
        }
        return ConvolutionUtils.getSameModeTopLeftPadding(new int[]{outHeight, outWidth},
                new int[]{(int) input.size(2), (int) input.size(3)}, conf.getKernelSize(), conf.getStride(), conf.getDilation());
    }
}
