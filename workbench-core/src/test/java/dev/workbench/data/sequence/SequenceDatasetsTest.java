package dev.workbench.data.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.data.DataFileException;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetInfo;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.data.Task;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The sequence datasets: Tiny Shakespeare, the review sentences and the sunspot series, all committed. */
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
    void theTextDatasetsLoadFromACopyOfDatasetsWithNothingBesideIt(@TempDir Path dir) throws IOException {
        // A user's clone has datasets/ and nothing beside it (no ../shared): a copy of the folder alone is enough.
        Path datasets = dir.resolve("clone/datasets");
        copyFolder(LOCATIONS.datasets().resolve("sentiment-sentences"), datasets.resolve("sentiment-sentences"));
        DataSplits data = REGISTRY.get("sentiment").load(spec("sentiment", 24), 3, new DataLocations(datasets));
        assertEquals(3_000, data.train().numExamples() + data.validation().numExamples() + data.test().numExamples());
        DatasetInfo shakespeare = REGISTRY.get("tinyshakespeare").info();
        assertEquals(LOCATIONS.datasets().resolve("tinyshakespeare"), LOCATIONS.verifiedFolder(shakespeare));
    }

    @Test
    void aMissingAndACorruptSentenceFileAreBothNamedWithHowToRestoreThem(@TempDir Path dir) throws IOException {
        Path folder = dir.resolve("sentiment-sentences");
        copyFolder(LOCATIONS.datasets().resolve("sentiment-sentences"), folder);
        Files.delete(folder.resolve("imdb_labelled.txt"));
        Files.writeString(folder.resolve("yelp_labelled.txt"), "Truncated.\t1\n");
        DataFileException e = assertThrows(DataFileException.class,
                () -> REGISTRY.get("sentiment").load(spec("sentiment", 24), 3, new DataLocations(dir)));
        assertTrue(e.getMessage().startsWith(folder + ": 1 file missing: imdb_labelled.txt; 1 file corrupt: "
                + "yelp_labelled.txt (SHA-256 is "), e.getMessage());
        assertTrue(e.getMessage().contains(
                "expected c76468b7b5c6e56a0804d728345c5f84aa2142ddb214420f61cc9cfd4c00d2ea). Restore them with `git checkout -- datasets/sentiment-sentences`"), e.getMessage());
        assertTrue(e.getMessage().contains("set WORKBENCH_DATASETS"), e.getMessage());
    }

    @Test
    void aMissingDatasetFolderIsNamedWithHowToRestoreIt(@TempDir Path dir) {
        DataFileException e = assertThrows(DataFileException.class,
                () -> REGISTRY.get("tinyshakespeare").load(spec("tinyshakespeare", 100), 1, new DataLocations(dir)));
        assertTrue(e.getMessage().startsWith(dir.resolve("tinyshakespeare") + ": missing (the whole dataset folder). "
                + "Restore them with `git checkout -- datasets/tinyshakespeare`"), e.getMessage());
        assertFalse(new DataLocations(dir).isPresent(REGISTRY.get("tinyshakespeare").info()));
    }

    private static void copyFolder(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
    }
}
