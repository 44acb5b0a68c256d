package dev.workbench.models.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.OptimizerSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.Network;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The GPT-style decoder on real Tiny Shakespeare windows: it learns, reads no later character, round-trips. */
class GptFamilyTest {
    private static final DatasetRegistry DATASETS = DatasetRegistry.builtIn();
    private static final ModelFactory GPT = ModelRegistry.builtIn().get("transformer", "gpt");
    private static final int CONTEXT = 16;
    static final DataSplits SHAKESPEARE = DATASETS.get("tinyshakespeare").load(new DatasetSpec("tinyshakespeare", 12,
            null, "none", List.of(), null, CONTEXT, 240, null), 1, DataLocations.fromEnvironment());

    static Network build(Map<String, Object> given) {
        Map<String, Object> hp = new HashMap<>(Map.of("d_model", 32, "heads", 4, "ff", 64, "layers", 2));
        hp.putAll(given);
        Hyperparameters resolved = Hyperparameters.resolve(GPT.hyperparameters(), hp);
        assertTrue(GPT.incompatibility(SHAKESPEARE.info(), resolved).isEmpty());
        return GPT.build(new ModelContext(SHAKESPEARE.info(), resolved, new BaseConfiguration(3,
                new TrainingSpec(2, new OptimizerSpec("adam", 0.003, null, null), null, null, null, null), 10)));
    }

    @ParameterizedTest
    @CsvSource({"pre, learned", "post, sinusoidal"})
    void learnsNextCharactersOfARealBatch(String norm, String positions) {
        Network gpt = build(Map.of("norm", norm, "positions", positions));
        DataSet batch = TestWorkbench.firstRows(SHAKESPEARE.train(), 12);
        int vocabulary = SHAKESPEARE.info().labels().size();
        assertArrayEquals(new long[]{12, vocabulary, CONTEXT}, gpt.output(batch.getFeatures()).shape());
        gpt.fit(batch);
        double first = gpt.score();
        // DL4J's score sums the loss over the steps of a window.
        assertEquals(Math.log(vocabulary), first / CONTEXT, 0.6, "starts near uniform guessing");
        for (int i = 0; i < 40; i++) {
            gpt.fit(batch);
        }
        assertTrue(gpt.score() < 0.6 * first, "loss " + first + " -> " + gpt.score());
    }

    @ParameterizedTest
    @CsvSource({"pre, learned, 0.0", "post, sinusoidal, 0.0", "post, learned, 0.1"})
    void noPredictionReadsALaterCharacter(String norm, String positions, double dropout) {
        Network gpt = build(Map.of("norm", norm, "positions", positions, "dropout", dropout));
        DataSet batch = TestWorkbench.firstRows(SHAKESPEARE.train(), 12);
        gpt.fit(batch);  // trained weights, not only the initial ones
        INDArray ids = batch.getFeatures();
        INDArray before = gpt.output(ids).dup();
        int cut = CONTEXT / 2;
        INDArray changed = ids.dup();
        // Other real characters in the second half: the first half of each window.
        changed.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(cut, CONTEXT))
                .assign(ids.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, CONTEXT - cut)));
        INDArray after = gpt.output(changed);
        INDArray[] early = {before, after};
        for (int i = 0; i < 2; i++) {
            early[i] = early[i].get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, cut));
        }
        assertEquals(early[0], early[1], "predictions before step " + cut);
        assertTrue(!before.equals(after), "later predictions change");
    }

    @Test
    void savedDecoderGivesTheSameOutputs(@TempDir Path dir) throws Exception {
        Network gpt = build(Map.of("positions", "sinusoidal"));
        DataSet batch = TestWorkbench.firstRows(SHAKESPEARE.train(), 12);
        gpt.fit(batch);
        Network loaded = TestWorkbench.savedAndLoaded(gpt, dir.resolve("model.zip"));
        assertEquals(gpt.output(batch.getFeatures()), loaded.output(batch.getFeatures()));
    }

    @Test
    void refusesClassificationDataAndAppearsBesideTheEncoder() {
        Hyperparameters defaults = Hyperparameters.resolve(GPT.hyperparameters(), Map.of());
        assertTrue(GPT.incompatibility(DATASETS.get("sentiment").info(), defaults).orElseThrow()
                .startsWith("gpt is a language model over tokens"));
        assertEquals(List.of("encoder", "gpt", "bert-mlm"), ModelRegistry.builtIn().architectures("transformer"));
    }
}
