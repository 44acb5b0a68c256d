package dev.workbench.models;

import dev.workbench.TestWorkbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.Network;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** Each architecture builds the right shapes, learns on a small real batch and survives save/load. */
class ModelFactoriesTest {
    private static final ModelRegistry MODELS = ModelRegistry.builtIn();

    private static DataSplits load(String dataset, String normalization) {
        return DatasetRegistry.builtIn().get(dataset).load(
                new DatasetSpec(dataset, 32, new SplitSpec(0.1, 0.2), normalization, List.of()), 1, DataLocations.fromEnvironment());
    }

    private static Network build(String family, String architecture, DataSplits data, Map<String, Object> hp) {
        ModelFactory factory = MODELS.get(family, architecture);
        TrainingSpec training = new TrainingSpec(5, null, null, null, null, null);
        return factory.build(new ModelContext(data.info(), Hyperparameters.resolve(factory.hyperparameters(), hp),
                new BaseConfiguration(3, training, 10)));
    }


    /** Loss after 30 steps on one real batch is well below the loss after the first step. */
    private static void lossFalls(Network network, DataSet batch) {
        network.fit(batch);
        double first = network.score();
        for (int i = 0; i < 30; i++) {
            network.fit(batch);
        }
        assertTrue(network.score() < 0.5 * first, "loss " + first + " -> " + network.score());
    }

    @Test
    void mlpHasTheDeclaredLayersAndLearnsWine() {
        DataSplits wine = load("wine", "standardize");
        Network mlp = build("dense", "mlp", wine, Map.of("hidden", List.of(20, 10)));
        assertEquals((13 * 20 + 20) + (20 * 10 + 10) + (10 * 3 + 3), mlp.parameterCount());
        assertArrayEquals(new long[]{5, 3}, mlp.output(TestWorkbench.firstRows(wine.test(), 5).getFeatures()).shape());
        lossFalls(mlp, TestWorkbench.firstRows(wine.train(), 32));
    }

    @Test
    void lenetHasTheReferenceParameterCountAndLearnsDigits() {
        DataSplits mnist = load("mnist-10k", "scale");
        Network lenet = build("cnn", "lenet5", mnist, Map.of());
        long expected = (5 * 5 * 1 * 20 + 20) + (5 * 5 * 20 * 50 + 50) + (4 * 4 * 50 * 500 + 500) + (500 * 10 + 10);
        assertEquals(expected, lenet.parameterCount());
        assertArrayEquals(new long[]{4, 10}, lenet.output(TestWorkbench.firstRows(mnist.test(), 4).getFeatures()).shape());
        lossFalls(lenet, TestWorkbench.firstRows(mnist.train(), 64));
    }

    @Test
    void lenetWithSamePaddingTakesTheSmallDigits() {
        DataSplits digits = load("digits", "scale");
        ModelFactory lenet = MODELS.get("cnn", "lenet5");
        assertTrue(lenet.incompatibility(digits.info(), Hyperparameters.resolve(lenet.hyperparameters(), Map.of())).isPresent());
        Map<String, Object> same = Map.of("padding", "same", "kernel_size", 3, "dense", 64);
        assertTrue(lenet.incompatibility(digits.info(), Hyperparameters.resolve(lenet.hyperparameters(), same)).isEmpty());
        lossFalls(build("cnn", "lenet5", digits, same), TestWorkbench.firstRows(digits.train(), 64));
    }

    @Test
    void savedNetworkLoadsWithIdenticalOutputs(@TempDir Path dir) throws Exception {
        DataSplits iris = load("iris", "standardize");
        Network mlp = build("dense", "mlp", iris, Map.of("batch_norm", true, "dropout", 0.2));
        mlp.fit(iris.train());
        Network loaded = TestWorkbench.savedAndLoaded(mlp, dir.resolve("mlp.zip"));
        assertEquals(mlp.output(iris.test().getFeatures()), loaded.output(iris.test().getFeatures()));
    }
}
