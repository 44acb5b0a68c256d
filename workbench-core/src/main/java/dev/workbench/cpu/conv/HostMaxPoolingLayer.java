package dev.workbench.cpu.conv;

import dev.workbench.cpu.kernels.KeptForwardPass;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's subsampling layer, except that 2x2 stride-2 max pooling of float NCHW data on the CPU runs on
 * {@link MaxPool2x2}, whose backward pass reuses the window winners of the training forward pass. Anything else
 * (other pooling, padding, NHWC, a GPU) and a backward pass without its forward pass go through DL4J.
 */
final class HostMaxPoolingLayer extends SubsamplingLayer {
    private static final int[] TWO_BY_TWO = {2, 2};
    private static final int[] NO_PADDING = {0, 0};
    private static final int[] NO_DILATION = {1, 1};

    private final MaxPool2x2 pool = new MaxPool2x2();
    private final KeptForwardPass kept = new KeptForwardPass();

    HostMaxPoolingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        kept.clear();
        assertInputSet(false);
        if (!kernelApplies()) {
            return super.activate(training, workspaceMgr);
        }
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, new long[]{input.size(0),
                input.size(1), MaxPool2x2.outputSide(input.size(2)), MaxPool2x2.outputSide(input.size(3))}, 'c');
        pool.forward(input, output);
        if (training) {
            kept.keep(input);
        }
        return output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (kept.take(input) == null || epsilon.dataType() != DataType.FLOAT) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        // Laid out as the input was: a channels-last input comes from a convolution that reads its gradient so.
        INDArray inputGradient = pool.channelsLast()
                ? ChannelsLast.create(workspaceMgr, ArrayType.ACTIVATION_GRAD, input.size(0), input.size(1),
                        input.size(2), input.size(3))
                : workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(), 'c');
        pool.backward(epsilon, inputGradient);
        return new Pair<>(new DefaultGradient(), inputGradient);
    }

    private boolean kernelApplies() {
        org.deeplearning4j.nn.conf.layers.SubsamplingLayer conf = layerConf();
        // 'Same' mode pads odd sides; even sides it leaves as they are.
        boolean unpadded = convolutionMode != ConvolutionMode.Same || (input.size(2) % 2 == 0 && input.size(3) % 2 == 0);
        return conf.getPoolingType() == PoolingType.MAX && Arrays.equals(conf.getKernelSize(), TWO_BY_TWO)
                && Arrays.equals(conf.getStride(), TWO_BY_TWO) && Arrays.equals(conf.getPadding(), NO_PADDING)
                && Arrays.equals(conf.getDilation(), NO_DILATION) && conf.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && input.rank() == 4 && input.dataType() == DataType.FLOAT && unpadded && Nd4j.getEnvironment().isCPU();
    }
}
