package dev.workbench.cpu.dense;

import dev.workbench.cpu.kernels.ActivationBackprop;
import dev.workbench.cpu.kernels.KeptForwardPass;
import dev.workbench.cpu.kernels.ColumnSums;
import dev.workbench.cpu.kernels.HostArrays;
import dev.workbench.cpu.kernels.Rectifier;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's dense layer, except in training: DL4J's backprop recomputes the layer's pre-activation and sums the bias
 * gradient down the columns of a row-major array; this layer keeps the pre-activation from its forward pass (a copy in
 * the activations workspace, which lives until backprop) and sums with a gemm against a ones vector. A ReLU or
 * LeakyReLU layer adds its bias and activates in one host pass ({@link Rectifier#forwardWithBias}). Layer norm, masks
 * and weight noise go through DL4J's path unchanged.
 */
final class CachedDenseLayer extends DenseLayer {
    private final KeptForwardPass kept = new KeptForwardPass(); // the pre-activation
    private final ColumnSums columnSums = new ColumnSums();

    CachedDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        kept.clear();
        if (!training || !keepsPreActivation()) {
            return super.activate(training, workspaceMgr);
        }
        Rectifier rectifier = Rectifier.of(layerConf().getActivationFn());
        if (rectifier != null && hasBias() && fitsProduct()) {
            return rectifiedWithBias(rectifier, workspaceMgr);
        }
        INDArray z = preOutput(true, workspaceMgr);
        kept.keep(input, kept.copyToKeep(z, Nd4j.order(), workspaceMgr));
        return layerConf().getActivationFn().getActivation(z, true);
    }

    /**
     * The training forward pass of a ReLU or LeakyReLU layer: the product, then the bias and the activation in one
     * host pass that leaves the pre-activation in place to be kept, instead of three ND4J ops (broadcast add, copy,
     * activation), each with its own allocations. Same values as DL4J's ops, bit for bit.
     */
    private INDArray rectifiedWithBias(Rectifier rectifier, LayerWorkspaceMgr workspaceMgr) {
        INDArray z = product(true, workspaceMgr);
        INDArray bias = getParamWithNoise(DefaultParamInitializer.BIAS_KEY, true, workspaceMgr);
        if (!Nd4j.getEnvironment().isCPU() || z.dataType() != DataType.FLOAT || bias.dataType() != DataType.FLOAT
                || !HostArrays.isRowMajor(bias) || !HostArrays.isRowMajor(z)) {
            z.addiRowVector(bias);
            kept.keep(input, workspaceMgr.dup(ArrayType.ACTIVATIONS, z));
            return layerConf().getActivationFn().getActivation(z, true);
        }
        INDArray activation = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, z.shape(), 'c');
        rectifier.forwardWithBias(z, bias, activation);
        kept.keep(input, z);
        return activation;
    }

    /**
     * DL4J's pre-activation, multiplied straight into a row-major array: BaseLayer's {@code input.mmuli(W, ret)} with
     * a row-major {@code ret} has ND4J multiply into a column-major temporary and copy it across, several times
     * slower. Layer norm, masks and inputs DL4J rejects keep DL4J's path.
     */
    @Override
    protected Pair<INDArray, INDArray> preOutputWithPreNorm(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        if (!fitsProduct()) {
            return super.preOutputWithPreNorm(training, forBackprop, workspaceMgr);
        }
        INDArray z = product(training, workspaceMgr);
        if (hasBias()) {
            z.addiRowVector(getParamWithNoise(DefaultParamInitializer.BIAS_KEY, training, workspaceMgr));
        }
        return new Pair<>(z, z);
    }

    /** Whether {@link #product} applies: no layer norm or mask, a matrix input of the weights' width. */
    private boolean fitsProduct() {
        INDArray weights = getParam(DefaultParamInitializer.WEIGHT_KEY);
        return !hasLayerNorm() && maskArray == null && input != null && input.rank() == 2 && input.columns() == weights.rows();
    }

    /** input · W (after dropout on the input, as DL4J draws it), without the bias, in a new row-major array. */
    private INDArray product(boolean training, LayerWorkspaceMgr workspaceMgr) {
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray w = getParamWithNoise(DefaultParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, w.dataType(), new long[]{input.size(0), w.size(1)}, 'c');
        Nd4j.gemm(input.castTo(w.dataType()), w, z, false, false, 1.0, 0.0);
        return z;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        boolean inputGradient = ((CachedDense) layerConf()).isInputGradient();
        INDArray z = kept.take(input);
        if (z == null || !keepsPreActivation()) {
            Pair<Gradient, INDArray> dl4j = super.backpropGradient(epsilon, workspaceMgr);
            return inputGradient ? dl4j : new Pair<>(dl4j.getFirst(), null);
        }
        // dLoss/dz, computed in place over the kept pre-activation.
        INDArray delta = ActivationBackprop.delta(layerConf().getActivationFn(), z, epsilon);
        Gradient gradient = new DefaultGradient();
        INDArray weightGrad = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        if (hasBias()) {
            INDArray biasGrad = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
            columnSums.into(delta, biasGrad);
            gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGrad);
        }
        // dW = inputᵀ delta, written as dWᵀ = deltaᵀ input into the transposed view: for DL4J's column-major weight
        // gradient that product is faster on large layers and about even on small ones.
        Nd4j.gemm(delta, input.castTo(weightGrad.dataType()), weightGrad.transpose(), true, false, 1.0, 0.0);
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGrad);
        INDArray epsilonNext = null;
        if (inputGradient) {
            INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
            epsilonNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                    new long[]{delta.size(0), w.size(0)}, 'c');
            Nd4j.gemm(delta, w, epsilonNext, false, true, 1.0, 0.0);
            epsilonNext = backpropDropOutIfPresent(epsilonNext);
        }
        return new Pair<>(gradient, epsilonNext);
    }

    private boolean keepsPreActivation() {
        return maskArray == null && !hasLayerNorm() && layerConf().getWeightNoise() == null;
    }
}
