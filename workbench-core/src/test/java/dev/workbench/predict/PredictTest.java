package dev.workbench.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.job.JobFile;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Predictions from a run folder (DL4J) and from its exported model (ONNX Runtime) agree, from raw inputs. */
class PredictTest {
    @TempDir
    static Path output;
    static Workbench workbench;
    static Workbench.FinishedRun digits;

    @BeforeAll
    static void trainAndExport() {
        workbench = TestWorkbench.quiet();
        var job = JobFile.parse("""
                name: digits-lenet
                seed: 5
                dataset: {name: digits, batch_size: 32, normalization: scale}
                model: {family: cnn, architecture: lenet5, hyperparameters: {padding: same, kernel_size: 3, dense: 64}}
                training: {epochs: 4, optimizer: {lr: 0.005}}
                output: %s
                """.formatted(output.toString().replace("\\", "/")), "digits.yaml", List.of());
        Workbench.Run run = workbench.train(job);
        workbench.export(run.folder().root(), 17, null, 64);
        digits = workbench.finished(run.folder().root());
    }

    /** Raw (unnormalised) test rows of the digits run: grey levels 0..16. */
    private static INDArray rawTestRows(int n) {
        var raw = workbench.datasets().get("digits").load(digits.job().dataset().withNormalization("none"), digits.job().seed(),
                workbench.locations());
        return raw.test().getFeatures().get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
    }

    @Test
    void bothEnginesGiveTheSameLabelsAndProbabilities() {
        INDArray raw = rawTestRows(20);
        List<Prediction> dl4j = workbench.predictor(digits.folder().root(), "dl4j").predict(raw);
        List<Prediction> onnx = workbench.predictor(digits.folder().root(), "onnx").predict(raw);
        for (int i = 0; i < raw.rows(); i++) {
            assertEquals(dl4j.get(i).label(), onnx.get(i).label());
            assertEquals(dl4j.get(i).probability(), onnx.get(i).probability(), 1e-4);
        }
        long correct = 0;
        int[] truth = digits.data().test().getLabels().argMax(1).toIntVector();
        for (int i = 0; i < raw.rows(); i++) {
            correct += dl4j.get(i).label().equals(Integer.toString(truth[i])) ? 1 : 0;
        }
        assertTrue(correct >= 14, "4 epochs of LeNet on digits label most of 20 test digits, got " + correct);
    }

    @Test
    void anImageFileIsReadLikeTheDatasetRow(@TempDir Path dir) throws Exception {
        float[] row = rawTestRows(1).toFloatVector();
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < 64; p++) {
            image.getRaster().setSample(p % 8, p / 8, 0, Math.round(row[p] * 255 / 16f));
        }
        Path png = dir.resolve("digit.png");
        ImageIO.write(image, "png", png.toFile());
        Predictor predictor = workbench.predictor(digits.folder().root().resolve("model.onnx"), "onnx");
        float[] read = InputReader.read(png.toString(), predictor.metadata(), false).get(0);
        for (int p = 0; p < 64; p++) {
            assertEquals(row[p], read[p], 16 / 255.0 / 2 + 1e-6, "pixel " + p);
        }
        assertEquals(predictor.predict(Nd4j.create(new float[][]{row})).get(0).label(),
                predictor.predict(Nd4j.create(new float[][]{read})).get(0).label());
    }

    @Test
    void wrongNumberOfValuesNamesTheInput() {
        Predictor predictor = workbench.predictor(digits.folder().root(), "onnx");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputReader.read("1,2,3", predictor.metadata(), false));
        assertEquals("input '1,2,3': expected 64 comma-separated values, got 3", e.getMessage());
    }

    @Test
    void dl4jEngineNeedsARunFolder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> workbench.predictor(digits.folder().root().resolve("model.onnx"), "dl4j"));
        assertTrue(e.getMessage().contains("the dl4j engine needs a run folder"), e.getMessage());
    }

    @Test
    void nonFiniteValuesAreRefusedWithTheirPosition() {
        Predictor predictor = workbench.predictor(digits.folder().root(), "onnx");
        String[][] cases = {
                {"NaN", "value 6 is not a finite number: 'NaN'"},
                {"-Infinity", "value 6 is not a finite number: '-Infinity'"},
                {"1e400", "value 6 is not a finite number: '1e400'"},
                {"1e39", "value 6 is not a finite number: '1e39' (beyond a 32-bit float's ±3.4e38)"},
        };
        for (String[] c : cases) {
            String row = "0,0,0,0,0," + c[0] + ",0" + ",0".repeat(57);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> InputReader.read(row, predictor.metadata(), false));
            assertTrue(e.getMessage().endsWith(c[1]), e.getMessage());
        }
    }

    @Test
    void aNonFiniteValueInACsvFileNamesItsLine(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("rows.csv");
        java.nio.file.Files.writeString(csv, "0" + ",1".repeat(63) + "\n" + "Infinity" + ",1".repeat(63) + "\n");
        Predictor predictor = workbench.predictor(digits.folder().root(), "onnx");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputReader.read(csv.toString(), predictor.metadata(), false));
        assertEquals(csv + " line 2: value 1 is not a finite number: 'Infinity'", e.getMessage());
    }

    @Test
    void aMissingFileIsNamedAsMissing(@TempDir Path dir) {
        Predictor predictor = workbench.predictor(digits.folder().root(), "onnx");
        String missing = dir.resolve("seven.png").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputReader.read(missing, predictor.metadata(), false));
        assertEquals(missing + ": no such file (nor a row of 64 comma-separated values)", e.getMessage());
    }
}
