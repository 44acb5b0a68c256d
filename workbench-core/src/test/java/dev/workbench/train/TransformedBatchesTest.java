package dev.workbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.data.augment.ImageBatchAugmenter;
import dev.workbench.job.AugmentationSpec;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.job.OptimizerSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** Augmented epochs on real MNIST digits: reproducible from (seed, epoch), the same with or without prefetching. */
class TransformedBatchesTest {
    private static final DataSplits MNIST = DatasetRegistry.builtIn().get("mnist-10k").load(
            new DatasetSpec("mnist-10k", 64, new SplitSpec(0.1, null), "scale", List.of()), 4, DataLocations.fromEnvironment());
    private static final DataSet TRAIN = TestWorkbench.firstRows(MNIST.train(), 640);
    private static final AugmentationSpec SPEC = new AugmentationSpec(2, 10.0, false);

    private static List<DataSet> epoch(int epoch, int ahead) {
        ImageBatchAugmenter augmenter = ImageBatchAugmenter.of(SPEC, MNIST);
        List<DataSet> batches = new TransformedBatches(EpochBatches.shuffled(TRAIN, 64, 4, epoch), augmenter::apply, 4, epoch, ahead);
        return new ArrayList<>(batches);  // takes them in order, as the trainer does
    }

    @Test
    void theSameSeedAndEpochGiveIdenticalBatchesWithOrWithoutPrefetching() {
        List<DataSet> onCaller = epoch(3, 0);
        List<DataSet> prefetched = epoch(3, 4);
        List<DataSet> again = epoch(3, 2);
        assertEquals(10, prefetched.size());
        for (int b = 0; b < 10; b++) {
            assertEquals(onCaller.get(b).getFeatures(), prefetched.get(b).getFeatures(), "batch " + b);
            assertEquals(onCaller.get(b).getLabels(), prefetched.get(b).getLabels(), "batch " + b);
            assertEquals(onCaller.get(b).getFeatures(), again.get(b).getFeatures(), "batch " + b);
        }
    }

    @Test
    void anotherEpochGetsOtherDrawsOnTheSameExamples() {
        List<DataSet> shuffledOnly = EpochBatches.shuffled(TRAIN, 64, 4, 5);
        List<DataSet> augmented = epoch(5, 2);
        List<DataSet> other = new ArrayList<>(new TransformedBatches(shuffledOnly, ImageBatchAugmenter.of(SPEC, MNIST)::apply,
                4, 6, 2));
        for (int b = 0; b < 10; b++) {
            assertEquals(shuffledOnly.get(b).getLabels(), augmented.get(b).getLabels(), "batch " + b + " keeps its examples");
            assertNotEquals(shuffledOnly.get(b).getFeatures(), augmented.get(b).getFeatures(), "batch " + b);
            assertNotEquals(augmented.get(b).getFeatures(), other.get(b).getFeatures(), "batch " + b);
        }
    }

    @Test
    void aFailureWhileTransformingReachesTheTrainingLoop() {
        IllegalStateException failure = new IllegalStateException("cannot augment");
        AtomicInteger calls = new AtomicInteger();
        List<DataSet> batches = new TransformedBatches(EpochBatches.shuffled(TRAIN, 64, 4, 1), (batch, random) -> {
            if (calls.getAndIncrement() == 2) {
                throw failure;
            }
            return batch;
        }, 4, 1, 3);
        batches.get(0);
        batches.get(1);
        assertSame(failure, assertThrows(IllegalStateException.class, () -> batches.get(2)));
    }

    @Test
    void theBackgroundThreadIsShutDownWhenTheLastBatchIsTaken() {
        TransformedBatches batches = new TransformedBatches(EpochBatches.shuffled(TRAIN, 64, 4, 11),
                ImageBatchAugmenter.of(SPEC, MNIST)::apply, 4, 11, 3);
        for (int b = 0; b < 9; b++) {
            batches.get(b);
        }
        assertFalse(batches.workerShutDown());
        batches.get(9);
        assertTrue(batches.workerShutDown());
    }

    @Test
    void trainingSeesAugmentedTrainingBatchesOnlyAndLeavesValidationAndTestAlone(@TempDir Path dir) {
        DataSplits digits = DatasetRegistry.builtIn().get("digits").load(
                new DatasetSpec("digits", 32, new SplitSpec(0.1, 0.2), "scale", List.of()), 2, DataLocations.fromEnvironment());
        DataSet validation = digits.validation().copy();
        DataSet test = digits.test().copy();
        ImageBatchAugmenter augmenter = ImageBatchAugmenter.of(new AugmentationSpec(1, 10.0, false), digits);
        List<Integer> seen = new ArrayList<>();
        BatchTransform recording = (batch, random) -> {
            seen.add(batch.numExamples());
            return augmenter.apply(batch, random);
        };
        TrainingSpec training = new TrainingSpec(2, new OptimizerSpec("adam", 0.005, null, null), null, null, null, null);
        ModelFactory vgg = ModelRegistry.builtIn().get("cnn", "vgg");
        Network network = vgg.build(new ModelContext(digits.info(),
                Hyperparameters.resolve(vgg.hyperparameters(), Map.of("widths", List.of(8), "dense", 16)),
                new BaseConfiguration(2, training, 41)));
        new Trainer(training, 32, 2, new CheckpointStore(dir, vgg.archive(digits.info())), new ProgressReporter.Lines(
                new PrintStream(OutputStream.nullOutputStream())), state -> { })
                .transformingBatches(recording, 2)
                .train(network, vgg.objective(digits.info()), digits, TrainingState.fresh());

        assertEquals(2 * digits.train().numExamples(), seen.stream().mapToInt(Integer::intValue).sum());
        assertEquals(validation.getFeatures(), digits.validation().getFeatures());
        assertEquals(test.getFeatures(), digits.test().getFeatures());
    }
}
