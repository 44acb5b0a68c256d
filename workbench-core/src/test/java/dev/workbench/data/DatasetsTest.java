package dev.workbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** The committed and the build-fetched datasets load with the documented sizes, splits, normalisation and integrity checks. */
class DatasetsTest {
    private static final DataLocations LOCATIONS = DataLocations.fromEnvironment();
    private static final DatasetRegistry REGISTRY = DatasetRegistry.builtIn();

    private static DatasetSpec spec(String name, String normalization, double validation, double test, List<String> drop) {
        return new DatasetSpec(name, 32, new SplitSpec(validation, test), normalization, drop);
    }

    @Test
    void everyBuiltInDatasetIsPresent() {
        for (DatasetSource source : REGISTRY.all()) {
            assertTrue(LOCATIONS.isPresent(source.info()), source.info().name());
        }
    }

    @Test
    void mnistIsTheOfficialSplitWithItsFixedTestSet() {
        DataSplits splits = REGISTRY.get("mnist").load(spec("mnist", "scale", 0.1, 0.2, List.of()), 1, LOCATIONS);
        assertEquals(10_000, splits.test().numExamples());
        assertEquals(6_000, splits.validation().numExamples(), 10);
        // The per-digit counts LeCun et al. publish for the training and the test set.
        assertEquals(List.of(5_923, 6_742, 5_958, 6_131, 5_842, 5_421, 5_918, 6_265, 5_851, 5_949),
                sum(counts(splits.train(), 10), counts(splits.validation(), 10)));
        assertEquals(List.of(980, 1_135, 1_032, 1_010, 982, 892, 958, 1_028, 974, 1_009),
                Arrays.stream(counts(splits.test(), 10)).boxed().toList());
        assertEquals(784, splits.test().getFeatures().columns());
        assertEquals(1.0, splits.train().getFeatures().maxNumber().doubleValue(), 1e-6);
        assertEquals(0.0, splits.train().getFeatures().minNumber().doubleValue(), 1e-6);
    }

    @Test
    void fashionMnistHasSixThousandTrainingAndOneThousandTestImagesPerClass() {
        DataSplits splits = REGISTRY.get("fashion-mnist")
                .load(spec("fashion-mnist", "scale", 0.1, 0.2, List.of()), 1, LOCATIONS);
        assertEquals(Collections.nCopies(10, 6_000), sum(counts(splits.train(), 10), counts(splits.validation(), 10)));
        assertEquals(Collections.nCopies(10, 1_000), Arrays.stream(counts(splits.test(), 10)).boxed().toList());
        assertEquals("Ankle boot", splits.info().labels().get(9));
        assertEquals(1.0, splits.test().getFeatures().maxNumber().doubleValue(), 1e-6);
    }

    @Test
    void mnist10kKeepsItsFixedTestSplitAndScalesPixelsToUnitRange() {
        DataSplits splits = REGISTRY.get("mnist-10k").load(spec("mnist-10k", "scale", 0.1, 0.2, List.of()), 1, LOCATIONS);
        assertEquals(2_004, splits.test().numExamples());
        assertEquals(7_996, splits.train().numExamples() + splits.validation().numExamples());
        assertEquals(800, splits.validation().numExamples(), 2);
        assertEquals(784, splits.train().getFeatures().columns());
        assertEquals(1.0, splits.train().getFeatures().maxNumber().doubleValue(), 1e-6);
        assertEquals(0.0, splits.train().getFeatures().minNumber().doubleValue(), 1e-6);
        int[] testCounts = counts(splits.test(), 10);
        assertEquals(List.of(201, 226, 199, 207, 196, 173, 203, 214, 189, 196),
                Arrays.stream(testCounts).boxed().toList());
    }

    @Test
    void idxFilesReadTheSamePlainOrGzipped(@TempDir Path dir) throws IOException {
        Path gzipped = LOCATIONS.datasets().resolve("mnist-10k/test-labels-idx1-ubyte.gz");
        Path plain = dir.resolve("test-labels-idx1-ubyte");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gzipped))) {
            Files.copy(in, plain);
        }
        assertEquals(2_012, Files.size(plain));
        int[] labels = IdxFile.labels(plain);
        assertEquals(2_004, labels.length);
        assertArrayEquals(IdxFile.labels(gzipped), labels);
    }

    @Test
    void tabularSplitIsStratifiedAndSeeded() {
        DatasetSpec spec = spec("iris", "standardize", 0.2, 0.2, List.of());
        DataSplits a = REGISTRY.get("iris").load(spec, 5, LOCATIONS);
        DataSplits b = REGISTRY.get("iris").load(spec, 5, LOCATIONS);
        DataSplits c = REGISTRY.get("iris").load(spec, 6, LOCATIONS);
        assertEquals(List.of(10, 10, 10), Arrays.stream(counts(a.test(), 3)).boxed().toList());
        assertEquals(90, a.train().numExamples());
        assertEquals(a.test().getFeatures(), b.test().getFeatures());
        assertTrue(!a.test().getFeatures().equals(c.test().getFeatures()), "another seed draws another split");
    }

    @Test
    void normaliserIsFittedOnTheTrainingSplitOnly() {
        DataSplits splits = REGISTRY.get("wine").load(spec("wine", "standardize", 0.2, 0.2, List.of()), 3, LOCATIONS);
        double[] trainMeans = splits.train().getFeatures().mean(0).toDoubleVector();
        for (double mean : trainMeans) {
            assertEquals(0.0, mean, 1e-4);
        }
        double testMeanMagnitude = Arrays.stream(splits.test().getFeatures().mean(0).toDoubleVector()).map(Math::abs).sum();
        assertTrue(testMeanMagnitude > 1e-3, "test statistics differ from the training statistics");
    }

    @Test
    void dropColumnsRemovesFeaturesThroughTheTransformProcess() {
        DataSplits splits = REGISTRY.get("breast_cancer")
                .load(spec("breast_cancer", "min_max", 0.15, 0.2, List.of("f0", "f29")), 1, LOCATIONS);
        assertEquals(28, splits.train().getFeatures().columns());
        assertEquals(28, splits.info().input().features());
        assertEquals(569, splits.train().numExamples() + splits.validation().numExamples() + splits.test().numExamples());
    }

    @Test
    void digitsAreEightByEightImagesScaledByTheirSixteenLevels() {
        DataSplits splits = REGISTRY.get("digits").load(spec("digits", "scale", 0.1, 0.2, List.of()), 1, LOCATIONS);
        assertTrue(splits.info().input().isImage());
        assertEquals(64, splits.train().getFeatures().columns());
        assertEquals(1.0, splits.train().getFeatures().maxNumber().doubleValue(), 1e-6);
    }

    @Test
    void corruptFileIsNamedWithHowToRestoreIt(@TempDir Path dir) throws IOException {
        Path copy = copyDataset("iris", dir);
        Path csv = copy.resolve("iris.csv");
        Files.writeString(csv, Files.readString(csv).replace("5.1,3.5", "5.1,9.9"));
        DataFileException e = assertThrows(DataFileException.class,
                () -> REGISTRY.get("iris").load(spec("iris", "none", 0.2, 0.2, List.of()), 1, new DataLocations(dir)));
        assertTrue(e.getMessage().startsWith(csv + ": corrupt: SHA-256 is"), e.getMessage());
        assertTrue(e.getMessage().contains("Restore it with `git checkout -- datasets/iris`"), e.getMessage());
    }

    @Test
    void missingFileIsNamedWithHowToRestoreIt(@TempDir Path dir) throws IOException {
        Path copy = copyDataset("mnist-10k", dir);
        Files.delete(copy.resolve("test-labels-idx1-ubyte.gz"));
        DataFileException e = assertThrows(DataFileException.class,
                () -> REGISTRY.get("mnist-10k").load(spec("mnist-10k", "scale", 0.1, 0.2, List.of()), 1, new DataLocations(dir)));
        assertEquals(copy.resolve("test-labels-idx1-ubyte.gz") + ": missing. Restore it with `git checkout -- "
                + "datasets/mnist-10k` in the workbench repository, or set WORKBENCH_DATASETS to a copy of datasets/ that "
                + "has it (datasets/mnist-10k/SOURCE.md says where the data comes from)", e.getMessage());
    }

    @Test
    void everyMissingFileIsNamedNotJustTheFirst(@TempDir Path dir) throws IOException {
        Path copy = copyDataset("mnist-10k", dir);
        Files.delete(copy.resolve("test-labels-idx1-ubyte.gz"));
        Files.delete(copy.resolve("train-images-idx3-ubyte.gz"));
        DataLocations locations = new DataLocations(dir);
        DataFileException e = assertThrows(DataFileException.class,
                () -> REGISTRY.get("mnist-10k").load(spec("mnist-10k", "scale", 0.1, 0.2, List.of()), 1, locations));
        assertEquals(copy + ": 2 files missing: test-labels-idx1-ubyte.gz, train-images-idx3-ubyte.gz. Restore them "
                + "with `git checkout -- datasets/mnist-10k` in the workbench repository, or set WORKBENCH_DATASETS to a copy "
                + "of datasets/ that has them (datasets/mnist-10k/SOURCE.md says where the data comes from)", e.getMessage());
        assertFalse(locations.isPresent(REGISTRY.get("mnist-10k").info()), "`workbench datasets` shows it as not present");
    }

    @Test
    void missingFetchedFilesAreNamedWithTheCommandThatFetchesThem(@TempDir Path dir) throws IOException {
        // A fetched dataset's folder as a fresh clone has it before any build: notes, checksums, no data.
        Path folder = Files.createDirectories(dir.resolve("mnist"));
        for (String note : List.of(".gitignore", "SHA256SUMS")) {
            Files.copy(LOCATIONS.datasets().resolve("mnist").resolve(note), folder.resolve(note));
        }
        DataLocations locations = new DataLocations(dir);
        DataFileException e = assertThrows(DataFileException.class,
                () -> REGISTRY.get("mnist").load(spec("mnist", "scale", 0.1, 0.2, List.of()), 1, locations));
        assertEquals(folder + ": 4 files missing: t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, "
                + "train-images-idx3-ubyte, train-labels-idx1-ubyte. The build fetches them: delete any corrupt file "
                + "and run `mvn -q -pl datasets generate-resources` in the workbench repository (./workbench does so "
                + "by itself when a file is missing), or set WORKBENCH_DATASETS to a copy of datasets/ that has them "
                + "(datasets/mnist/SOURCE.md says where the data comes from)", e.getMessage());
        assertFalse(locations.isPresent(REGISTRY.get("mnist").info()), "`workbench datasets` shows it as not present");
    }

    @Test
    void everyDatasetHasItsNotesAndMatchesItsChecksums() throws IOException {
        List<String> names;
        try (Stream<Path> folders = Files.list(LOCATIONS.datasets())) {
            // target/ is the Maven build folder of datasets/pom.xml (the downloaded packages).
            names = folders.filter(Files::isDirectory).map(f -> f.getFileName().toString())
                    .filter(name -> !name.equals("target")).sorted().toList();
        }
        assertEquals(List.of("breast_cancer", "cora", "digits", "fashion-mnist", "iris", "mnist", "mnist-10k",
                "sentiment-sentences", "sunspots",
                "tinyshakespeare", "wine"), names);
        for (String name : names) {
            Path folder = LOCATIONS.datasets().resolve(name);
            assertTrue(Files.isRegularFile(folder.resolve("SOURCE.md")), name + "/SOURCE.md");
            assertTrue(Files.isRegularFile(folder.resolve("LICENSE.md")), name + "/LICENSE.md");
            Sha256Sums.verify(folder);
        }
    }

    @Test
    void coraShipsWithItsPlanetoidSplit() throws IOException {
        // No dataset source reads Cora yet; the counts are those its SOURCE.md gives.
        Path cora = LOCATIONS.datasets().resolve("cora");
        List<String[]> nodes = rows(cora.resolve("nodes.csv"));
        assertEquals(2_708, nodes.size());
        Map<String, Long> splits = nodes.stream().collect(Collectors.groupingBy(n -> n[2], Collectors.counting()));
        assertEquals(Map.of("train", 140L, "val", 500L, "test", 1_000L, "none", 1_068L), splits);
        assertEquals(Set.of("0", "1", "2", "3", "4", "5", "6"),
                nodes.stream().map(n -> n[1]).collect(Collectors.toSet()));
        int maxFeature = nodes.stream().flatMap(n -> Arrays.stream(n[3].split(" ")))
                .mapToInt(Integer::parseInt).max().orElseThrow();
        assertEquals(1_432, maxFeature, "1,433 features");
        List<String[]> edges = rows(cora.resolve("edges.csv"));
        assertEquals(5_278, edges.size());
        assertTrue(edges.stream().allMatch(e -> Integer.parseInt(e[0]) < Integer.parseInt(e[1])), "source < target");
    }

    private static List<String[]> rows(Path csvWithHeader) throws IOException {
        return Files.readAllLines(csvWithHeader).stream().skip(1).map(line -> line.split(",")).toList();
    }

    private static Path copyDataset(String name, Path dir) throws IOException {
        Path source = LOCATIONS.datasets().resolve(name);
        Path target = dir.resolve(name);
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        return target;
    }

    private static List<Integer> sum(int[] a, int[] b) {
        return IntStream.range(0, a.length).mapToObj(i -> a[i] + b[i]).toList();
    }

    private static int[] counts(DataSet data, int classes) {
        int[] counts = new int[classes];
        for (int c : StratifiedSplit.classesOf(data)) {
            counts[c]++;
        }
        return counts;
    }
}
