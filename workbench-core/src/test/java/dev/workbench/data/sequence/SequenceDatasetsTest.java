package dev.workbench.data.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.data.DataFileException;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.data.Task;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The sequence datasets, read from the shared data folder and the committed series. */
class SequenceDatasetsTest {
    private static final DatasetRegistry REGISTRY = DatasetRegistry.builtIn();
    private static final DataLocations LOCATIONS = DataLocations.fromEnvironment();

    private static DatasetSpec spec(String name, Integer length) {
        return new DatasetSpec(name, 32, new SplitSpec(0.15, 0.2), "standardize", List.of(), null, length, null, null);
    }

    @Test
    void shakespeareTrainsOnTheFirstNinetyPercentAndTargetsAreTheNextCharacter() {
        DataSplits data = REGISTRY.get("tinyshakespeare").load(spec("tinyshakespeare", 100), 1, LOCATIONS);
        assertEquals(Task.LANGUAGE_MODEL, data.info().task());
        assertEquals(65, data.info().input().vocabulary());
        assertEquals(65, data.info().labels().size());
        // 1,115,394 characters: 1,003,854 train -> 10,038 windows of 100 (+1 target); 111,540 validation -> 1,115.
        assertEquals(10_038, data.train().numExamples());
        assertEquals(1_115, data.validation().numExamples());
        assertArrayEquals(new long[]{10_038, 1, 100}, data.train().getFeatures().shape());
        assertArrayEquals(new long[]{10_038, 65, 100}, data.train().getLabels().shape());
        // The target at step t is the input at step t + 1.
        INDArray inputs = data.train().getFeatures();
        INDArray targets = data.train().getLabels().argMax(1);
        for (int t = 0; t < 99; t++) {
            assertEquals(inputs.getDouble(5, 0, t + 1), targets.getDouble(5, t), "step " + t);
        }
        String first = decode(data, inputs, 0, 14);
        assertEquals("First Citizen:", first);
    }

    private static String decode(DataSplits data, INDArray ids, int row, int n) {
        StringBuilder text = new StringBuilder();
        for (int t = 0; t < n; t++) {
            text.append(data.info().labels().get(ids.getInt(row, 0, t)));
        }
        return text.toString();
    }

    @Test
    void sentimentVocabularyComesFromTheTrainingSplitAndSentencesArePaddedInFront() {
        DataSplits data = REGISTRY.get("sentiment").load(spec("sentiment", 24), 3, LOCATIONS);
        assertEquals(3_000, data.train().numExamples() + data.validation().numExamples() + data.test().numExamples());
        assertEquals(600, data.test().numExamples());
        assertArrayEquals(new long[]{data.train().numExamples(), 1, 24}, data.train().getFeatures().shape());
        int vocabulary = data.info().input().vocabulary();
        assertTrue(vocabulary > 1_000 && vocabulary < 3_000, "vocabulary " + vocabulary);
        assertEquals(vocabulary - 1, data.train().getFeatures().maxNumber().intValue(), "the ids cover the vocabulary");
        // Short sentences: padding (id 0) in front, words at the end.
        INDArray row = data.train().getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.all());
        assertTrue(row.getDouble(23) != 0, "the last step holds a word");
        assertEquals(0.5, data.test().getLabels().getColumn(1).meanNumber().doubleValue(), 0.01, "stratified");
    }

    @Test
    void wordsKeepInnerApostrophesAndDropPunctuation() {
        assertEquals(List.of("don't", "buy", "it", "5", "stars"), LabelledSentencesSource.words("Don't buy it!! 5 stars..."));
    }

    @Test
    void sunspotWindowsAreChronologicalAndPredictTheNextYear() {
        DataSplits data = REGISTRY.get("sunspots").load(spec("sunspots", 20).withNormalization("none"), 1, LOCATIONS);
        // 309 years -> 289 windows: 58 test (last), 43 validation, 188 train.
        assertEquals(58, data.test().numExamples());
        assertEquals(43, data.validation().numExamples());
        assertEquals(188, data.train().numExamples());
        // Year 1700 = 5, 1701 = 11 (in hundreds); the first target is year 1720 = 28.
        assertEquals(0.05, data.train().getFeatures().getDouble(0, 0, 0), 1e-6);
        assertEquals(0.11, data.train().getFeatures().getDouble(0, 0, 1), 1e-6);
        assertEquals(0.28, data.train().getLabels().getDouble(0, 0), 1e-6);
        // Each window's target is the next window's last input.
        assertEquals(data.train().getLabels().getDouble(3, 0), data.train().getFeatures().getDouble(4, 0, 19), 1e-6);
        // The last test target is 2008 = 2.9.
        assertEquals(0.029, data.test().getLabels().getDouble(57, 0), 1e-6);
    }

    @Test
    void aCorruptSharedFileIsNamedWithWhereItIsRead(@TempDir Path dir) throws Exception {
        Path shared = dir.resolve("shared");
        Files.createDirectories(shared.resolve("tinyshakespeare"));
        Files.writeString(shared.resolve("tinyshakespeare/input.txt"), "not Shakespeare");
        DataLocations locations = new DataLocations(LOCATIONS.datasets(), shared);
        DataFileException e = assertThrows(DataFileException.class,
                () -> REGISTRY.get("tinyshakespeare").load(spec("tinyshakespeare", 100), 1, locations));
        assertTrue(e.getMessage().contains("input.txt") && e.getMessage().contains("corrupt")
                && e.getMessage().contains("WORKBENCH_SHARED_DATASETS"), e.getMessage());
        assertFalse(LOCATIONS.shared().startsWith(dir));
    }
}
