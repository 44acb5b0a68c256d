package dev.workbench.cpu.activation;

import dev.workbench.cpu.kernels.HostArrays;
import dev.workbench.cpu.kernels.Rectifier;
import dev.workbench.cpu.kernels.VectorModule;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's activation layer, except that a ReLU or LeakyReLU on float data on the CPU runs as one {@link Rectifier}
 * pass from the input (forward; the input and the output gradient, backward) straight into the new array, instead
 * of a native copy and ND4J's element-wise ops (its ReLU gradient calls a std::function per element). The DCGAN's
 * batch-norm layers are each followed by one of these, since DL4J's batch norm ignores an activation. Other
 * activations, dropout and GPUs go through DL4J.
 */
final class HostActivationLayer extends ActivationLayer {
    private final Rectifier rectifier;

    HostActivationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        org.deeplearning4j.nn.conf.layers.ActivationLayer layer =
                (org.deeplearning4j.nn.conf.layers.ActivationLayer) conf.getLayer();
        VectorModule.require();
        this.rectifier = layer.getIDropout() == null ? Rectifier.of(layer.getActivationFn()) : null;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (!applies(input)) {
            return super.activate(training, workspaceMgr);
        }
        INDArray x = HostArrays.rowMajor(input);
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, input.shape(), 'c');
        rectifier.forward(x, output);
        return output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (!applies(input) || epsilon.dataType() != DataType.FLOAT || !epsilon.equalShapes(input)) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray x = HostArrays.rowMajor(input);
        INDArray g = HostArrays.rowMajor(epsilon);
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                input.shape(), 'c');
        rectifier.backward(x, g, inputGradient);
        return new Pair<>(new DefaultGradient(), inputGradient);
    }

    private boolean applies(INDArray x) {
        return rectifier != null && x.dataType() == DataType.FLOAT && Nd4j.getEnvironment().isCPU();
    }
}
