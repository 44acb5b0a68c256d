package dev.workbench.models.autoencoder;

import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetInfo;
import dev.workbench.data.StratifiedSplit;
import dev.workbench.data.Task;
import dev.workbench.train.Evaluator;
import dev.workbench.train.Network;
import dev.workbench.train.TrainingObjective;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Learning to reproduce the input (autoencoders): any dataset will do, its normalised features become the
 * targets and the model is scored by reconstruction error. When the job trains on some classes only, the test
 * split's reconstruction error also scores the other classes as anomalies (ROC-AUC).
 */
class ReconstructionObjective implements TrainingObjective {

    @Override
    public String name() {
        return "reconstruction";
    }

    /** Regression onto every input value, named {@code x0, x1, ...}; the class labels stay in {@code labelled}. */
    @Override
    public DataSplits prepare(DataSplits labelled) {
        DatasetInfo info = labelled.info();
        List<String> values = IntStream.range(0, info.input().features()).mapToObj(i -> "x" + i).toList();
        DatasetInfo reconstruction = new DatasetInfo(info.name(), info.description(), info.samples(), Task.REGRESSION,
                info.input(), values, info.featureNames(), info.fixedTestSplit(), info.pixelMax(), info.source(),
                info.license(), info.folder());
        return new DataSplits(reconstruction, selfTarget(labelled.train()), selfTarget(labelled.validation()),
                selfTarget(labelled.test()), labelled.normalizer());
    }

    private static DataSet selfTarget(DataSet data) {
        return new DataSet(data.getFeatures(), data.getFeatures().dup());
    }

    @Override
    public List<String> metricNames() {
        return Evaluator.REGRESSION_METRICS;
    }

    @Override
    public Evaluator.Scores evaluate(Network network, DataSet split, DatasetInfo info) {
        return Evaluator.regression(network, split, info);
    }

    /** The model learns to reproduce what it is shown: the augmented images are the targets too. */
    @Override
    public DataSet afterAugmentation(DataSet augmented) {
        return new DataSet(augmented.getFeatures(), augmented.getFeatures().dup());
    }

    @Override
    public Map<String, Double> extraTestMetrics(Network model, DataSplits labelled, DataSplits prepared,
                                               List<Integer> trainClasses) {
        if (trainClasses.isEmpty()) {
            return Map.of();
        }
        return Map.of("anomaly_auc", Evaluator.anomalyAuc(model, prepared.test(),
                StratifiedSplit.classesOf(labelled.test()), trainClasses));
    }

    @Override
    public List<Path> plots(Network model, DataSplits prepared, int[] testClasses, Path folder) throws IOException {
        return AutoencoderPlots.reconstructions(model, prepared, folder);
    }
}
