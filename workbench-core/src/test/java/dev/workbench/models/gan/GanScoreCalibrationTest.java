package dev.workbench.models.gan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.data.Rows;
import dev.workbench.job.JobFile;
import dev.workbench.job.JobSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelRegistry;
import dev.workbench.train.BaseConfiguration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The score's scale on full MNIST, for the README: real test digits, real training digits against them, and
 * untrained generators. Needs a finished run of examples/jobs/mnist-reference-classifier.yaml, given as
 * {@code -Dworkbench.reference=RUN_DIR}; skipped without one (a unit test cannot train it in reasonable time).
 */
class GanScoreCalibrationTest {
    private static final int SAMPLES = 2000;

    @Test
    void realDigitsScoreNearTenAndCloseToEachOtherWhileAnUntrainedGeneratorDoesNot() {
        String reference = System.getProperty("workbench.reference", "");
        Assumptions.assumeFalse(reference.isBlank(), "set -Dworkbench.reference to a reference classifier's run");
        JobSpec job = JobFile.load(Path.of("../examples/jobs/mnist-dcgan.yaml"), List.of());
        DataSplits mnist = DatasetRegistry.builtIn().get("mnist").load(job.dataset(), job.seed(),
                DataLocations.fromEnvironment());
        ReferenceClassifier classifier = ReferenceClassifier.load(Path.of(reference), mnist.info().input(), "reference");
        GanScore score = new GanScore(classifier, SAMPLES, mnist.test().getFeatures());

        System.out.printf("real test digits (all %d): IS %.3f%n", mnist.test().numExamples(),
                InceptionScore.of(classifier.outputs(mnist.test().getFeatures()).probabilities()));
        Map<String, Double> realTest = score.of(Rows.range(mnist.test().getFeatures(), 0, SAMPLES));
        System.out.println("first " + SAMPLES + " real test digits vs all test digits: " + realTest);
        Map<String, Double> realTrain = score.of(Rows.range(mnist.train().getFeatures(), 0, SAMPLES));
        System.out.println("first " + SAMPLES + " real training digits vs all test digits: " + realTrain);
        for (String architecture : List.of("dense", "dcgan", "conditional")) {
            var factory = ModelRegistry.builtIn().get("gan", architecture);
            GanNetwork untrained = (GanNetwork) factory.build(new ModelContext(mnist.info(),
                    Hyperparameters.resolve(factory.hyperparameters(), Map.of()),
                    new BaseConfiguration(job.seed(), new TrainingSpec(1, null, null, null, null, null), 1)));
            Map<String, Double> scores = score.of(untrained);
            System.out.println("untrained " + architecture + " generator, " + SAMPLES + " images: " + scores);
            assertTrue(scores.get("frechet_distance") > 10 * realTrain.get("frechet_distance"), scores.toString());
        }
        assertTrue(realTrain.get("inception_score") > 9, realTrain.toString());
    }
}
