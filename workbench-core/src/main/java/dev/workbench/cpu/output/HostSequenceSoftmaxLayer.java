package dev.workbench.cpu.output;

import dev.workbench.cpu.kernels.HostArrays;
import dev.workbench.cpu.kernels.SoftmaxCrossEntropyRows;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.RnnOutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * DL4J's sequence output layer, except for the training step of a float softmax with cross-entropy (a language
 * model's head): DL4J permutes the input, the labels and the gradient between {@code [batch, features, time]} and
 * time-major rows, and computes the logits twice (once for the gradient, once more for the score), each time with
 * ND4J's softmax and loss ops. Here one product gives the logits of the rows the layer before wrote, one Java pass
 * their softmax, loss and gradient ({@link SoftmaxCrossEntropyRows}), and the score DL4J asks for next is that loss.
 * Inference, other losses, activations, data formats, dropout and weight noise keep DL4J's path.
 */
final class HostSequenceSoftmaxLayer extends RnnOutputLayer {
    private INDArray logits;
    private float[] logitValues = new float[0];
    private float[] labelRows = new float[0];
    private float[] labelValues = new float[0];
    private float[] maskValues = new float[0];
    private float[] stepWeights = new float[0];
    private float[] biasGradient = new float[0];
    // The loss of the last host backward pass and what it was computed on: the score of the same training step.
    private ScoredBatch scored;

    HostSequenceSoftmaxLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        scored = null;
        if (!hostPathApplies()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        int batch = (int) input.size(0);
        int width = (int) input.size(1);
        int steps = (int) input.size(2);
        int classes = (int) layerConf().getNOut();
        int rows = batch * steps;
        allocate(rows, classes);
        // Rows b * steps + t: the input as the layer before wrote it ([batch, time, features] under a permuted view).
        INDArray inputRows = HostArrays.rowMajor(input.permute(0, 2, 1)).reshape('c', rows, width);
        INDArray weights = getParam(DefaultParamInitializer.WEIGHT_KEY);
        Nd4j.gemm(inputRows, weights, logits, false, false, 1.0, 0.0);
        float[] z = HostArrays.read(logits, logitValues);
        float[] bias = getParam(DefaultParamInitializer.BIAS_KEY).toFloatVector();
        LossMCXENT loss = (LossMCXENT) layerConf().getLossFn();
        double lossSum = new SoftmaxCrossEntropyRows(loss.getSoftmaxClipEps()).gradientInPlace(z, bias,
                labelRows(batch, classes, steps), stepWeights(batch, steps), rows, classes, biasGradient);
        HostArrays.write(z, logits); // now dLoss/dLogits

        Gradient gradient = new DefaultGradient();
        INDArray weightGradient = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        Nd4j.gemm(inputRows, logits, weightGradient, true, false, 1.0, 0.0);
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGradient);
        INDArray biasGradientView = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
        HostArrays.write(biasGradient, biasGradientView);
        gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGradientView);

        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                new long[]{batch, steps, width}, 'c');
        Nd4j.gemm(logits, weights, inputGradient.reshape(rows, width), false, true, 1.0, 0.0);
        weightNoiseParams.clear();
        scored = new ScoredBatch(input, labels, maskArray, lossSum);
        return new Pair<>(gradient, inputGradient.permute(0, 2, 1));
    }

    /**
     * The score of the training step whose backward pass just ran on this input and these labels (DL4J asks for it
     * right after backprop): its loss, as DL4J's {@code computeScore} would finish it; otherwise DL4J's computation.
     */
    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        ScoredBatch last = scored;
        scored = null;
        if (!training || last == null || !last.matches(input, labels, maskArray)) {
            return super.computeScore(fullNetRegTerm, training, workspaceMgr);
        }
        double score = last.loss() + fullNetRegTerm;
        if (conf().isMiniBatch()) {
            score /= getInputMiniBatchSize();
        }
        this.score = score;
        return score;
    }

    /** The labels {@code [batch, classes, time]} as rows {@code [b * steps + t, classes]}. */
    private float[] labelRows(int batch, int classes, int steps) {
        float[] y = HostArrays.read(labels, labelValues);
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < classes; c++) {
                int from = (b * classes + c) * steps;
                for (int t = 0; t < steps; t++) {
                    labelRows[(b * steps + t) * classes + c] = y[from + t];
                }
            }
        }
        return labelRows;
    }

    /**
     * Each row's mask weight, or null without a mask. DL4J keeps a per-step mask as a column vector in its
     * time-major row order ({@code b + batch * t}).
     */
    private float[] stepWeights(int batch, int steps) {
        if (maskArray == null) {
            return null;
        }
        float[] timeMajor = HostArrays.read(maskArray.castTo(DataType.FLOAT), maskValues);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                stepWeights[b * steps + t] = timeMajor[b + batch * t];
            }
        }
        return stepWeights;
    }

    private void allocate(int rows, int classes) {
        if (logits != null && logits.size(0) == rows && logits.size(1) == classes) {
            return;
        }
        logits = HostArrays.detached(rows, classes);
        logitValues = new float[rows * classes];
        labelRows = new float[rows * classes];
        labelValues = new float[rows * classes];
        maskValues = new float[rows];
        stepWeights = new float[rows];
        biasGradient = new float[classes];
    }

    private boolean hostPathApplies() {
        org.deeplearning4j.nn.conf.layers.RnnOutputLayer conf = layerConf();
        return Nd4j.getEnvironment().isCPU() && input != null && input.rank() == 3 && input.dataType() == DataType.FLOAT
                && params().dataType() == DataType.FLOAT && labels != null && labels.rank() == 3
                && labels.dataType() == DataType.FLOAT && labels.size(0) == input.size(0) && labels.size(2) == input.size(2)
                && conf.getRnnDataFormat() == RNNFormat.NCW && conf.getActivationFn() instanceof ActivationSoftmax
                && conf.getLossFn() != null && conf.getLossFn().getClass() == LossMCXENT.class
                && ((LossMCXENT) conf.getLossFn()).getWeights() == null && hasBias()
                && conf.getIDropout() == null && conf.getWeightNoise() == null
                && (maskArray == null || (maskArray.isColumnVector() && maskArray.length() == input.size(0) * input.size(2)));
    }
}
