package dev.workbench.models.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.OptimizerSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import dev.workbench.train.Network;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** The recurrent family on real sequences: shapes, a loss that falls, save/load, and what it refuses. */
public class RecurrentFamilyTest {
    private static final DatasetRegistry DATASETS = DatasetRegistry.builtIn();

    public static DataSplits load(String name, int length) {
        return DATASETS.get(name).load(new DatasetSpec(name, 32, new SplitSpec(0.15, 0.2), "standardize", List.of(),
                null, length, null, null), 7, DataLocations.fromEnvironment());
    }

    static Network build(String architecture, DataSplits data, Map<String, Object> hp, double lr) {
        ModelFactory factory = ModelRegistry.builtIn().get("rnn", architecture);
        Hyperparameters resolved = Hyperparameters.resolve(factory.hyperparameters(), hp);
        assertTrue(factory.incompatibility(data.info(), resolved).isEmpty(), () -> factory.incompatibility(data.info(), resolved).get());
        return factory.build(new ModelContext(data.info(), resolved, new dev.workbench.train.BaseConfiguration(3,
                new TrainingSpec(2, new OptimizerSpec("adam", lr, null, null), null, null, null, null), 10)));
    }

    /** Fits one real batch repeatedly: the loss must drop well below where it started. */
    static void lossFalls(Network network, DataSet batch, int steps, double factor) {
        network.fit(batch);
        double first = network.score();
        for (int i = 0; i < steps; i++) {
            network.fit(batch);
        }
        assertTrue(network.score() < factor * first, "loss " + first + " -> " + network.score());
    }

    static void saveLoadKeepsOutputs(Network network, INDArray features, Path dir) throws Exception {
        Path file = dir.resolve("model.zip");
        Network loaded = TestWorkbench.savedAndLoaded(network, file);
        assertEquals(network.output(features), loaded.output(features));
    }

    @Test
    void characterLanguageModelPredictsEveryStepLearnsAndRoundTrips(@TempDir Path dir) throws Exception {
        DataSplits text = load("tinyshakespeare", 50);
        Network lm = build("lstm", text, Map.of("hidden", List.of(64), "embedding", 16), 0.01);
        DataSet batch = TestWorkbench.firstRows(text.train(), 32);
        INDArray out = lm.output(batch.getFeatures());
        assertArrayEquals(new long[]{32, 65, 50}, out.shape());
        INDArray perStep = out.sum(1);
        assertEquals(0, perStep.sub(1).amaxNumber().doubleValue(), 1e-4, "a distribution over characters at every step");
        lossFalls(lm, batch, 40, 0.7);
        saveLoadKeepsOutputs(lm, batch.getFeatures(), dir);
    }

    @Test
    void bidirectionalSentenceClassifierLearnsRealReviews(@TempDir Path dir) throws Exception {
        DataSplits reviews = load("sentiment", 24);
        Network classifier = build("lstm", reviews, Map.of("hidden", List.of(32), "embedding", 32, "bidirectional", true), 0.01);
        DataSet batch = TestWorkbench.firstRows(reviews.train(), 64);
        assertArrayEquals(new long[]{64, 2}, classifier.output(batch.getFeatures()).shape());
        lossFalls(classifier, batch, 30, 0.3);
        saveLoadKeepsOutputs(classifier, batch.getFeatures(), dir);
    }

    @Test
    void forecasterReadsTheLastStepOfNumericWindows(@TempDir Path dir) throws Exception {
        DataSplits sunspots = load("sunspots", 20);
        DataSet batch = TestWorkbench.firstRows(sunspots.train(), 128);
        for (String cell : List.of("lstm", "gru")) {
            Network forecaster = build(cell, sunspots, Map.of("hidden", List.of(16), "pooling", "last"), 0.01);
            assertArrayEquals(new long[]{128, 1}, forecaster.output(batch.getFeatures()).shape());
            lossFalls(forecaster, batch, 60, 0.3);
            saveLoadKeepsOutputs(forecaster, batch.getFeatures(), dir);
        }
    }

    @Test
    void gruLanguageModelAndBidirectionalGruClassifierLearn(@TempDir Path dir) throws Exception {
        DataSplits text = load("tinyshakespeare", 50);
        Network lm = build("gru", text, Map.of("hidden", List.of(64), "embedding", 16), 0.01);
        DataSet batch = TestWorkbench.firstRows(text.train(), 32);
        assertArrayEquals(new long[]{32, 65, 50}, lm.output(batch.getFeatures()).shape());
        lossFalls(lm, batch, 40, 0.7);
        saveLoadKeepsOutputs(lm, batch.getFeatures(), dir);

        DataSplits reviews = load("sentiment", 24);
        Network classifier = build("gru", reviews, Map.of("hidden", List.of(32), "embedding", 32, "bidirectional", true), 0.01);
        DataSet sentences = TestWorkbench.firstRows(reviews.train(), 64);
        assertArrayEquals(new long[]{64, 2}, classifier.output(sentences.getFeatures()).shape());
        lossFalls(classifier, sentences, 30, 0.3);
    }

    @Test
    void languageModelsCannotReadBackwardsAndImagesAreNotSequences() {
        ModelFactory lstm = ModelRegistry.builtIn().get("rnn", "lstm");
        Hyperparameters bidirectional = Hyperparameters.resolve(lstm.hyperparameters(), Map.of("bidirectional", true));
        assertTrue(lstm.incompatibility(DATASETS.get("tinyshakespeare").info(), bidirectional).orElseThrow().contains("backwards"));
        Hyperparameters plain = Hyperparameters.resolve(lstm.hyperparameters(), Map.of());
        assertTrue(lstm.incompatibility(DATASETS.get("mnist-10k").info(), plain).orElseThrow().contains("reads sequences"));
    }
}
