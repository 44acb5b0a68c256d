package dev.workbench.cpu.output;

import dev.workbench.cpu.kernels.HostArrays;
import dev.workbench.cpu.kernels.SoftmaxCrossEntropyRows;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.OutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * DL4J's softmax MCXENT output layer, except in a training step: DL4J's backprop computes the logits, the softmax
 * and p − y, then the network's score computes the logits and the softmax again, clips, logs and sums. This
 * layer's backprop makes the logits with one gemm and the softmax, the loss, dLoss/dz and the bias gradient in one
 * host pass ({@link SoftmaxCrossEntropyRows}), and the score that follows in the same step takes the loss it kept.
 * Masks, dropout, weight noise, other data types and backends go through DL4J's path unchanged.
 */
final class HostSoftmaxOutputLayer extends OutputLayer {
    // The loss of the last host backprop, for the score of the same input and labels.
    private ScoredBatch scored;
    // Host copies of the logits (then dLoss/dz) and labels, reused while the batch shape repeats.
    private float[] logitRows = new float[0];
    private float[] labelRows = new float[0];
    private float[] biasRow = new float[0];
    private float[] biasGradientRow = new float[0];

    HostSoftmaxOutputLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        scored = null;
        if (!runsOnHost()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        int rows = (int) input.size(0);
        int cols = (int) w.size(1);
        INDArray delta = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                new long[]{rows, cols}, 'c');
        Nd4j.gemm(input, w, delta, false, false, 1.0, 0.0);
        ensureCapacity(rows * cols, cols);
        HostArrays.read(delta, logitRows);
        HostArrays.read(labels, labelRows);
        SoftmaxCrossEntropyRows rowsLoss = new SoftmaxCrossEntropyRows(((LossMCXENT) layerConf().getLossFn()).getSoftmaxClipEps());
        double lossSum = hasBias()
                ? rowsLoss.gradientInPlace(logitRows, HostArrays.read(getParam(DefaultParamInitializer.BIAS_KEY), biasRow),
                        labelRows, null, rows, cols, biasGradientRow)
                : rowsLoss.gradientInPlace(logitRows, labelRows, null, rows, cols);
        scored = new ScoredBatch(input, labels, null, lossSum);
        HostArrays.write(logitRows, delta);

        Gradient gradient = new DefaultGradient();
        INDArray weightGrad = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        // dWᵀ = deltaᵀ input into the transposed view of DL4J's column-major weight gradient (as CachedDenseLayer).
        Nd4j.gemm(delta, input, weightGrad.transpose(), true, false, 1.0, 0.0);
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGrad);
        if (hasBias()) {
            INDArray biasGrad = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
            HostArrays.write(biasGradientRow, biasGrad);
            gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGrad);
        }
        INDArray epsilonNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                new long[]{rows, w.size(0)}, 'c');
        Nd4j.gemm(delta, w, epsilonNext, false, true, 1.0, 0.0);
        return new Pair<>(gradient, epsilonNext);
    }

    /** The score as DL4J's: the loss over the minibatch, divided by its size where the network does, plus regularisation. */
    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        ScoredBatch last = scored;
        if (!training || last == null || !last.matches(input, labels, maskArray)) {
            return super.computeScore(fullNetRegTerm, training, workspaceMgr);
        }
        scored = null; // once: the next score may come after a parameter update on the same arrays
        double loss = last.loss();
        if (conf().isMiniBatch()) {
            loss /= getInputMiniBatchSize();
        }
        score = loss + fullNetRegTerm;
        return score;
    }

    /** Float 2-D input and labels on the CPU, with nothing DL4J's path would add (mask, dropout, weight noise). */
    private boolean runsOnHost() {
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        return Nd4j.getEnvironment().isCPU() && input != null && labels != null && maskArray == null
                && layerConf().getIDropout() == null && layerConf().getWeightNoise() == null
                && input.rank() == 2 && input.dataType() == DataType.FLOAT && w.dataType() == DataType.FLOAT
                && labels.dataType() == DataType.FLOAT && input.columns() == w.rows()
                && labels.rank() == 2 && labels.rows() == input.rows() && labels.columns() == w.columns();
    }

    private void ensureCapacity(int elements, int cols) {
        if (logitRows.length < elements) {
            logitRows = new float[elements];
            labelRows = new float[elements];
        }
        if (biasRow.length < cols) {
            biasRow = new float[cols];
            biasGradientRow = new float[cols];
        }
    }
}
