package dev.workbench.train;

import dev.workbench.data.DatasetInfo;
import dev.workbench.data.Rows;
import dev.workbench.data.Task;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.evaluation.EvaluationAveraging;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.evaluation.regression.RegressionEvaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Scores a network on a split in inference mode. Classification: loss (mean cross-entropy, the same
 * loss as the softmax head, without regularisation), accuracy and macro-F1. Language models: loss in nats per
 * token (mean over every predicted step), next-token accuracy and perplexity. Regression: loss (MSE), mse, mae.
 */
public final class Evaluator {
    private static final int BATCH = 512;
    private static final double EPS = 1e-7;

    private Evaluator() {
    }

    public record Scores(Map<String, Double> metrics, int[][] confusion) {
    }

    public static Scores evaluate(Network network, DataSet data, DatasetInfo info) {
        return info.task().isCategorical() ? classification(network, data, info) : regression(network, data, info);
    }

    /** What {@link #regression} reports. */
    public static final java.util.List<String> REGRESSION_METRICS = java.util.List.of("loss", "mse", "mae");

    /** Higher is better for accuracy and F1; lower for losses and errors. */
    public static boolean higherIsBetter(String metric) {
        return metric.endsWith("accuracy") || metric.endsWith("f1");
    }

    /**
     * ROC-AUC of reconstruction error as an anomaly score: examples of classes outside {@code normal} are the
     * positives. {@code reconstruction} holds the inputs as targets; {@code classes} each row's true class.
     */
    public static double anomalyAuc(Network network, DataSet reconstruction, int[] classes, java.util.List<Integer> normal) {
        int n = reconstruction.numExamples();
        INDArray errors = org.nd4j.linalg.factory.Nd4j.create(org.nd4j.linalg.api.buffer.DataType.DOUBLE, n, 1);
        forEachBatch(network, reconstruction, (rows, targets, outputs) -> {
            INDArray error = outputs.sub(targets);
            errors.get(rows, NDArrayIndex.all()).assign(error.muli(error).mean(1)
                    .reshape(targets.rows(), 1).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE));
        });
        INDArray anomalous = org.nd4j.linalg.factory.Nd4j.create(org.nd4j.linalg.api.buffer.DataType.DOUBLE, n, 1);
        for (int i = 0; i < n; i++) {
            anomalous.putScalar(i, 0, normal.contains(classes[i]) ? 0 : 1);
        }
        // ROC takes scores in [0, 1]; dividing by the largest error keeps their order, hence the AUC.
        org.nd4j.evaluation.classification.ROC roc = new org.nd4j.evaluation.classification.ROC(0);
        roc.eval(anomalous, errors.div(errors.maxNumber()));
        return roc.calculateAUC();
    }

    private static Scores classification(Network network, DataSet data, DatasetInfo info) {
        return classification(scorer -> forEachBatch(network, data, scorer), data.getLabels(), info);
    }

    /** Classification scores of outputs computed elsewhere (a graph's nodes), row for row with {@code labels}. */
    public static Scores classification(INDArray labels, INDArray outputs, DatasetInfo info) {
        return classification(scorer -> scorer.score(NDArrayIndex.all(), labels, outputs), labels, info);
    }

    private static Scores classification(java.util.function.Consumer<BatchScorer> batches, INDArray labels,
                                         DatasetInfo info) {
        Evaluation evaluation = new Evaluation(info.labels(), 1);
        double[] lossSum = {0};
        batches.accept((rows, y, p) -> {
            lossSum[0] -= Transforms.log(Transforms.max(p, EPS, true), false).muli(y).sumNumber().doubleValue();
            evaluation.eval(y, p);
        });
        // Per example for sequence classes; per predicted token (every time step) for language models.
        long predictions = labels.rank() == 3 ? labels.size(0) * labels.size(2) : labels.size(0);
        Map<String, Double> metrics = new LinkedHashMap<>();
        double loss = lossSum[0] / predictions;
        metrics.put("loss", loss);
        metrics.put("accuracy", evaluation.accuracy());
        if (info.task() == Task.LANGUAGE_MODEL) {
            metrics.put("perplexity", Math.exp(loss));
            return new Scores(metrics, null);
        }
        metrics.put("f1", evaluation.f1(EvaluationAveraging.Macro));
        int classes = info.numClasses();
        int[][] confusion = new int[classes][classes];
        for (int actual = 0; actual < classes; actual++) {
            for (int predicted = 0; predicted < classes; predicted++) {
                confusion[actual][predicted] = evaluation.getConfusionMatrix().getCount(actual, predicted);
            }
        }
        return new Scores(metrics, confusion);
    }

    /** Loss (MSE), mse and mae of the outputs against the targets, averaged over the target columns. */
    public static Scores regression(Network network, DataSet data, DatasetInfo info) {
        RegressionEvaluation evaluation = new RegressionEvaluation(info.labels());
        forEachBatch(network, data, (rows, targets, outputs) -> evaluation.eval(targets, outputs));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", evaluation.averageMeanSquaredError());
        metrics.put("mse", evaluation.averageMeanSquaredError());
        metrics.put("mae", evaluation.averageMeanAbsoluteError());
        return new Scores(metrics, null);
    }

    /** What the evaluations do with each inference batch: its row range, targets and network outputs. */
    @FunctionalInterface
    private interface BatchScorer {
        void score(org.nd4j.linalg.indexing.INDArrayIndex rows, INDArray targets, INDArray outputs);
    }

    /** Runs {@code data} through the network in inference batches of {@value #BATCH} rows. */
    private static void forEachBatch(Network network, DataSet data, BatchScorer scorer) {
        int n = data.numExamples();
        for (int start = 0; start < n; start += BATCH) {
            int end = Math.min(n, start + BATCH);
            INDArray outputs = network.output(Rows.range(data.getFeatures(), start, end));
            scorer.score(NDArrayIndex.interval(start, end), Rows.range(data.getLabels(), start, end), outputs);
        }
    }
}
