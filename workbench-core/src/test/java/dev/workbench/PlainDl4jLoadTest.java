package dev.workbench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.data.Rows;
import dev.workbench.job.JobFile;
import dev.workbench.train.ModelArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A model.zip is DL4J's own: trained with the workbench's fast CPU layers, it names DL4J's layer classes, and a JVM
 * with DL4J and no workbench class restores it and computes the same outputs.
 */
class PlainDl4jLoadTest {
    private static final List<String> JOBS = List.of(
            """
            name: plain-lenet
            dataset: {name: digits, batch_size: 32, normalization: scale}
            model: {family: cnn, architecture: lenet5, hyperparameters: {padding: same, conv1_filters: 4, conv2_filters: 8, dense: 16}}
            training: {epochs: 1}
            """,
            """
            name: plain-resnet
            dataset: {name: digits, batch_size: 32, normalization: scale}
            model: {family: cnn, architecture: resnet, hyperparameters: {blocks_per_stage: 1, widths: [4, 8, 8]}}
            training: {epochs: 1}
            """,
            """
            name: plain-mlp
            dataset: {name: iris, batch_size: 16}
            model: {family: dense, architecture: mlp, hyperparameters: {hidden: [8]}}
            training: {epochs: 1}
            """,
            """
            name: plain-bilstm
            dataset: {name: sentiment, batch_size: 32, sequence_length: 16, limit: 256}
            model: {family: rnn, architecture: lstm, hyperparameters: {embedding: 8, hidden: [8], bidirectional: true}}
            training: {epochs: 1}
            """);

    @Test
    void modelZipRestoresAndRunsInDl4jWithoutTheWorkbench(@TempDir Path dir) throws Exception {
        Workbench workbench = TestWorkbench.quiet();
        List<String> args = new ArrayList<>();
        List<INDArray> expected = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (String yaml : JOBS) {
            Workbench.Run run = workbench.train(JobFile.parse(yaml + "output: " + dir.toString().replace("\\", "/"),
                    "job.yaml", List.of()));
            Path model = run.folder().model();
            String conf = configuration(model);
            assertFalse(conf.contains("dev.workbench"), run.summary().job() + ": model.zip names workbench classes");
            Workbench.FinishedRun finished = workbench.finished(run.folder().root());
            INDArray input = Rows.range(finished.data().test().getFeatures(), 0, 8);
            Path in = dir.resolve(run.summary().job() + "-in.bin");
            Path out = dir.resolve(run.summary().job() + "-out.bin");
            Nd4j.saveBinary(input, in.toFile());
            args.addAll(List.of(ModelArchive.manifest(model).kind(), model.toString(), in.toString(), out.toString()));
            expected.add(finished.model().output(input));
            outputs.add(out);
        }

        Process process = plainDl4j(args, dir.resolve("plain-dl4j.log"));
        int exit = process.waitFor();
        assertEquals(0, exit, Files.readString(dir.resolve("plain-dl4j.log")));
        for (int i = 0; i < outputs.size(); i++) {
            INDArray actual = Nd4j.readBinary(outputs.get(i).toFile());
            assertArrayEquals(expected.get(i).shape(), actual.shape(), JOBS.get(i));
            assertTrue(expected.get(i).equalsWithEps(actual, 1e-6), JOBS.get(i) + "\nworkbench " + expected.get(i)
                    + "\nplain DL4J " + actual);
        }
    }

    private static String configuration(Path model) throws IOException {
        try (ZipFile zip = new ZipFile(model.toFile())) {
            return new String(zip.getInputStream(zip.getEntry("configuration.json")).readAllBytes());
        }
    }

    /** A JVM on the workbench's dependencies alone running the single-file program PlainDl4jLoad.java. */
    private static Process plainDl4j(List<String> args, Path log) throws IOException {
        String classpath = Files.readString(Path.of("target/dependencies-classpath.txt")).trim();
        assertFalse(Arrays.stream(classpath.split(java.io.File.pathSeparator)).anyMatch(p -> p.contains("workbench")),
                "the dependency class path holds a workbench jar");
        Path program = Path.of("src/test/resources/plain-dl4j/PlainDl4jLoad.java");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, program.toString()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
