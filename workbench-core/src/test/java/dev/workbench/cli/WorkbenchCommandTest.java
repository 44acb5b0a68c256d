package dev.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.workbench.DamagedFiles;
import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI end to end, in-process: output, exit codes and error messages. */
class WorkbenchCommandTest {
    @TempDir
    static Path shared;
    /** An iris run with its model.onnx, trained once for the tests that only predict or serve. */
    static Path irisRun;

    @BeforeAll
    static void trainAndExportIris() {
        Workbench workbench = TestWorkbench.quiet();
        irisRun = workbench.train(TestWorkbench.irisJob(shared, "training.epochs=2")).folder().root();
        workbench.export(irisRun, 17, null, 30);
    }
    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        PrintStream originalOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cli = WorkbenchCommand.commandLine();
            cli.setErr(new PrintWriter(err, true));
            cli.setOut(new PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8), true));
            int code = cli.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(originalOut);
        }
    }

    /**
     * `workbench attention RUN --text` on a padding-masked review classifier writes the heatmaps (and their numbers)
     * and says where; bad input is named: an empty text, a folder that is no run, a run that is no transformer.
     */
    @Test
    void attentionDrawsATransformersHeadsOverAnyTextAndNamesBadInput(@TempDir Path dir) throws Exception {
        String yaml = """
                name: tiny-encoder
                seed: 3
                dataset: {name: sentiment, batch_size: 32, sequence_length: 12, limit: 200}
                model: {family: transformer, architecture: encoder,
                        hyperparameters: {d_model: 16, heads: 2, ff: 32, layers: 1, dropout: 0.0, padding_mask: true}}
                training: {epochs: 1, optimizer: {type: adam, lr: 0.003}}
                output: %s
                """.formatted(dir.toString().replace("\\", "/"));
        Path job = dir.resolve("tiny-encoder.yaml");
        Files.writeString(job, yaml);
        Workbench workbench = TestWorkbench.quiet();
        Path runDir = workbench.train(workbench.readJob(job, List.of())).folder().root();
        assertTrue(Files.isRegularFile(runDir.resolve("plots/attention.png")), "drawn at the end of training");

        Path png = dir.resolve("mine.png");
        Result drawn = run("attention", runDir.toString(), "--text", "The food was great!", "--output", png.toString());
        assertEquals(0, drawn.exitCode(), drawn.err());
        assertTrue(drawn.out().contains("1 layers x 2 heads over 12 steps: " + png), drawn.out());
        assertTrue(javax.imageio.ImageIO.read(png.toFile()).getWidth() >= 300);
        assertTrue(Files.readString(dir.resolve("mine.json")).contains("\"great\""));

        Result empty = run("attention", runDir.toString(), "--text", "");
        assertEquals(2, empty.exitCode());
        assertTrue(empty.err().contains("--text: empty"), empty.err());
        Result noWords = run("attention", runDir.toString(), "--text", "?!");
        assertEquals(2, noWords.exitCode());
        assertTrue(noWords.err().contains("--text: no words in \"?!\""), noWords.err());
        Result noRun = run("attention", dir.resolve("nothing").toString(), "--text", "good");
        assertEquals(2, noRun.exitCode());
        assertTrue(noRun.err().contains("not a run folder"), noRun.err());
        Result iris = run("attention", irisRun.toString(), "--text", "good");
        assertEquals(2, iris.exitCode());
        assertTrue(iris.err().contains("attention over text needs a transformer run"), iris.err());
        Result neither = run("attention", runDir.toString());
        assertEquals(2, neither.exitCode(), "picocli's usage error");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[]{"train", "tune", "compare", "eval", "generate", "export", "predict", "serve", "models", "datasets"}) {
            Result result = run(command, "--help");
            assertEquals(0, result.exitCode(), command);
            assertTrue(result.out().contains("Usage: workbench " + command), result.out());
        }
    }

    @Test
    void modelsListsFamiliesArchitecturesAndDefaults() {
        Result result = run("models");
        assertEquals(0, result.exitCode());
        assertTrue(result.out().contains("lenet5"), result.out());
        assertTrue(result.out().matches("(?s).*conv1_filters\\s+default 20.*"), result.out());
        assertTrue(result.out().matches("(?s).*hidden\\s+default \\[64, 32].*"), result.out());
    }

    @Test
    void datasetsSaysWhichArePresent() {
        Result result = run("datasets");
        assertEquals(0, result.exitCode());
        assertTrue(result.out().matches("(?s).*\\nmnist\\s+yes\\s+70000\\s+1x28x28.*"), result.out());
        assertTrue(result.out().matches("(?s).*mnist-10k\\s+yes\\s+10000\\s+1x28x28.*"), result.out());
        assertTrue(result.out().matches("(?s).*fashion-mnist\\s+yes\\s+70000\\s+1x28x28.*"), result.out());
        assertTrue(result.out().matches("(?s).*iris\\s+yes\\s+150\\s+4 .*"), result.out());
    }

    @Test
    void badJobFileExitsWithCodeTwoAndNamesTheField(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("bad.yaml");
        Files.writeString(job, """
                name: bad
                dataset: {name: iris}
                model: {family: dense, architecture: mlp}
                training: {epochs: 0}
                """);
        Result result = run("train", job.toString());
        assertEquals(WorkbenchCommand.BAD_INPUT, result.exitCode());
        assertTrue(result.err().contains(job + ": training.epochs: must be >= 1, got 0"), result.err());
    }

    @Test
    void trainThenEvalThroughTheCli(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("iris.yaml");
        Files.writeString(job, """
                name: cli-iris
                dataset: {name: iris, batch_size: 16}
                model: {family: dense, architecture: mlp}
                training: {epochs: 3, optimizer: {lr: 0.02}}
                """);
        Result trained = run("train", job.toString(), "--set", "output=" + dir.resolve("runs"));
        assertEquals(0, trained.exitCode(), trained.err());
        assertTrue(trained.out().contains("epoch 3/3"), trained.out());
        assertTrue(trained.out().contains("completed; test test_loss"), trained.out());
        Path runDir;
        try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
            runDir = runs.findFirst().orElseThrow();
        }
        Result evaluated = run("eval", runDir.toString());
        assertEquals(0, evaluated.exitCode(), evaluated.err());
        assertTrue(evaluated.out().contains("test_accuracy"), evaluated.out());

        Result exported = run("export", runDir.toString(), "--opset", "15");
        assertEquals(0, exported.exitCode(), exported.err());
        assertTrue(exported.out().matches("(?s).*parity on \\d+ test inputs: max abs diff .*: passed.*"), exported.out());
        assertTrue(Files.exists(runDir.resolve("model.onnx")));
        assertTrue(Files.exists(runDir.resolve("onnx-parity.json")));

        for (String engine : new String[]{"dl4j", "onnx"}) {
            Result predicted = run("predict", runDir.toString(), "--engine", engine, "5.1,3.5,1.4,0.2");
            assertEquals(0, predicted.exitCode(), predicted.err());
            assertTrue(predicted.out().matches("5\\.1,3\\.5,1\\.4,0\\.2: (setosa|versicolor|virginica) \\(p=[01]\\.\\d{4}\\)  \\[.*]\\s*"),
                    predicted.out());
        }
        Result badRow = run("predict", runDir.toString(), "1,2");
        assertEquals(WorkbenchCommand.BAD_INPUT, badRow.exitCode());
        assertTrue(badRow.err().contains("input '1,2': expected 4 comma-separated values, got 2"), badRow.err());
    }

    @Test
    void exportOfAnUnfinishedRunSaysWhatIsMissing(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("job.yaml"), "name: x\ndataset: {name: iris}\nmodel: {family: dense, architecture: mlp}\n");
        Result result = run("export", dir.toString());
        assertEquals(WorkbenchCommand.BAD_INPUT, result.exitCode());
        assertTrue(result.err().contains("model.zip: no model; the run did not finish"), result.err());
    }

    @Test
    void resumingAFinishedRunSaysSoAndLeavesItsSummary(@TempDir Path dir) throws Exception {
        Path copy = DamagedFiles.copy(irisRun, dir.resolve("run"));
        String summary = Files.readString(copy.resolve("summary.json"));
        Result result = run("train", "--resume", copy.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains(copy + ": already complete (completed after 2 epochs); nothing to resume, "
                + "no file changed"), result.out());
        assertFalse(result.out().contains("epoch 1/2"), result.out());
        assertEquals(summary, Files.readString(copy.resolve("summary.json")));
    }

    @Test
    void aFinishedRunTrainsOnToMoreEpochsWithResumeAndEpochs(@TempDir Path dir) throws Exception {
        Path copy = DamagedFiles.copy(irisRun, dir.resolve("run"));
        Result result = run("train", "--resume", copy.toString(), "--epochs", "4");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("epoch 3/4") && result.out().contains("epoch 4/4"), result.out());
        assertFalse(result.out().contains("epoch 2/4"), "went on from its checkpoint: " + result.out());
        assertEquals(4 + 1, Files.readAllLines(copy.resolve("metrics.csv")).size());
        Result fewer = run("train", "--resume", copy.toString(), "--epochs", "3");
        assertEquals(WorkbenchCommand.BAD_INPUT, fewer.exitCode());
        assertTrue(fewer.err().contains("--epochs 3: " + copy + " was already set to 4 epochs; give more"), fewer.err());
    }

    @Test
    void tuneSearchesThenCompareShowsItsRuns(@TempDir Path dir) throws Exception {
        Path job = dir.resolve("search.yaml");
        Files.writeString(job, """
                name: cli-search
                dataset: {name: iris, batch_size: 16}
                model: {family: dense, architecture: mlp}
                training: {epochs: 2, optimizer: {lr: 0.02}}
                search:
                  candidates: 2
                  space:
                    training.optimizer.lr: {min: 0.001, max: 0.1, scale: log}
                """);
        Result tuned = run("tune", job.toString(), "--set", "output=" + dir.resolve("out"));
        assertEquals(0, tuned.exitCode(), tuned.err());
        assertTrue(tuned.out().contains("best: candidate "), tuned.out());
        Path search;
        try (Stream<Path> searches = Files.list(dir.resolve("out"))) {
            search = searches.findFirst().orElseThrow();
        }
        List<Path> runs;
        try (Stream<Path> folders = Files.list(search.resolve("runs"))) {
            runs = folders.sorted().toList();
        }
        assertEquals(2, runs.size());
        Result resumed = run("tune", "--resume", search.toString());
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertFalse(resumed.out().contains("candidate 0: {"), "nothing trained again: " + resumed.out());
        Result compared = run("compare", runs.get(0).toString(), runs.get(1).toString(), "--output",
                dir.resolve("c.html").toString());
        assertEquals(0, compared.exitCode(), compared.err());
        assertTrue(Files.readString(dir.resolve("c.html")).contains(runs.get(1).getFileName().toString()));
        Path figure = dir.resolve("figures/loss.png");
        Result plotted = run("compare", runs.get(0).toString(), runs.get(1).toString(), "--metric", "val_loss", "--x",
                "wall_seconds", "--figure", figure.toString());
        assertEquals(0, plotted.exitCode(), plotted.err());
        assertEquals(640, javax.imageio.ImageIO.read(figure.toFile()).getWidth(), "one PNG chart");
        Result unknownMetric = run("compare", runs.get(0).toString(), "--metric", "val_bleu", "--figure", figure.toString());
        assertTrue(unknownMetric.exitCode() != 0 && unknownMetric.err().contains("recorded no 'val_bleu'"), unknownMetric.err());
        Result unknownAxis = run("compare", runs.get(0).toString(), "--x", "steps", "--figure", figure.toString());
        assertTrue(unknownAxis.err().contains("--x must be epoch or wall_seconds"), unknownAxis.err());
        Result noSearch = run("tune", dir.resolve("search.yaml").toString(), "--set", "search=null");
        assertEquals(WorkbenchCommand.BAD_INPUT, noSearch.exitCode());
        assertTrue(noSearch.err().contains("search: missing"), noSearch.err());
    }

    @Test
    void resumeWithAJobFileIsRefused(@TempDir Path dir) {
        Result result = run("train", "job.yaml", "--resume", dir.toString());
        assertEquals(WorkbenchCommand.BAD_INPUT, result.exitCode());
        assertTrue(result.err().contains("--resume continues a run with its recorded job.yaml"), result.err());
    }

    /** One line, {@code error: ...}, and nothing a stack trace would print. */
    private static void assertOneErrorLine(Result result) {
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().startsWith("error: "), result.err());
        assertFalse(result.err().contains("\tat ") || result.err().contains("Caused by"), result.err());
    }

    private static Path irisJobFile(Path dir) throws Exception {
        Path job = dir.resolve("iris.yaml");
        Files.writeString(job, "name: cli-iris\ndataset: {name: iris}\nmodel: {family: dense, architecture: mlp}\n"
                + "training: {epochs: 1}\n");
        return job;
    }

    @Test
    void aJobFileThatIsNotTextOrAnEmptySetValueIsOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        Path png = Files.write(dir.resolve("digit.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n'});
        Result binary = run("train", png.toString());
        assertEquals(WorkbenchCommand.BAD_INPUT, binary.exitCode());
        assertOneErrorLine(binary);
        assertEquals("error: " + png + ": not a UTF-8 YAML text file (byte 0x89 at offset 0); a job file is YAML text",
                binary.err().strip());
        Result emptySet = run("train", irisJobFile(dir).toString(), "--set", "training.epochs=");
        assertEquals(WorkbenchCommand.BAD_INPUT, emptySet.exitCode());
        assertOneErrorLine(emptySet);
        assertTrue(emptySet.err().contains("--set training.epochs=: the value is empty; give one (null takes the default)"),
                emptySet.err());
    }

    @Test
    void anOutputUnderARegularFileSaysWhyInOneLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        Result result = run("train", irisJobFile(dir).toString(), "--set", "output=" + file.resolve("runs"));
        assertEquals(WorkbenchCommand.BAD_INPUT, result.exitCode());
        assertOneErrorLine(result);
        assertTrue(result.err().contains(file.resolve("runs").toString()), result.err());
        assertTrue(result.err().contains("Not a directory"), result.err());
    }

    @Test
    void aReadOnlyOutputSaysWhyInOneLine(@TempDir Path dir) throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(readOnly), "a superuser writes a read-only folder anyway");
            Result result = run("train", irisJobFile(dir).toString(), "--set", "output=" + readOnly);
            assertEquals(WorkbenchCommand.BAD_INPUT, result.exitCode());
            assertOneErrorLine(result);
            assertTrue(result.err().contains(readOnly.toString()), result.err());
            assertTrue(result.err().contains("Permission denied"), result.err());
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void predictRefusesNonFiniteValuesByPosition() {
        String[][] cases = {
                {"5.1,NaN,1.4,0.2", "value 2"}, {"5.1,3.5,Infinity,0.2", "value 3"}, {"5.1,3.5,1.4,1e400", "value 4"}};
        for (String[] c : cases) {
            Result result = run("predict", irisRun.toString(), c[0]);
            assertEquals(WorkbenchCommand.BAD_INPUT, result.exitCode(), c[0]);
            assertOneErrorLine(result);
            assertTrue(result.err().startsWith("error: input '" + c[0] + "': " + c[1] + " is not a finite number: "),
                    result.err());
        }
    }

    @Test
    void aDamagedModelZipIsNamedWithWhatToDo(@TempDir Path dir) throws Exception {
        Path truncated = DamagedFiles.copy(irisRun, dir.resolve("truncated"));
        DamagedFiles.truncate(truncated.resolve("model.zip"));
        Path garbled = DamagedFiles.copy(irisRun, dir.resolve("garbled"));
        DamagedFiles.garble(garbled.resolve("model.zip"), "coefficients.bin");
        String[][] cases = {
                {truncated.toString(), "not a readable zip (zip END header not found); the file is truncated or damaged"},
                {garbled.toString(), "cannot read the network inside (its data ends early); the file is damaged"}};
        for (String[] c : cases) {
            for (String command : new String[]{"eval", "predict"}) {
                Result result = command.equals("eval") ? run("eval", c[0]) : run("predict", c[0], "5.1,3.5,1.4,0.2");
                assertEquals(WorkbenchCommand.BAD_INPUT, result.exitCode(), command + " " + c[0]);
                assertOneErrorLine(result);
                assertEquals("error: " + Path.of(c[0], "model.zip") + ": " + c[1] + "; rebuild it from the run's "
                        + "checkpoints with: workbench train --resume " + c[0], result.err().strip());
            }
        }
    }

    @Test
    void aRunWhoseCheckpointsAreAllDamagedSaysToTrainAgain(@TempDir Path dir) throws Exception {
        Path copy = DamagedFiles.copy(irisRun, dir.resolve("run"));
        // Unfinished, as a run interrupted after its last checkpoint: resume has to read the checkpoints.
        Files.delete(copy.resolve("summary.json"));
        Files.delete(copy.resolve("model.zip"));
        try (Stream<Path> files = Files.list(copy.resolve("checkpoints"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("epoch-\\d+\\.zip|state\\.json")).toList()) {
                DamagedFiles.truncate(file);
            }
        }
        Result result = run("train", "--resume", copy.toString());
        assertEquals(WorkbenchCommand.BAD_INPUT, result.exitCode());
        assertOneErrorLine(result);
        // Where half of state.json ends decides the parser's words (an unfinished number, or the end of the file).
        assertTrue(result.err().startsWith("error: " + copy.resolve("checkpoints") + ": no checkpoint can be resumed ("
                + copy.resolve("checkpoints/state.json") + ": cannot be read ("), result.err());
        assertTrue(result.err().strip().endsWith("): train the job again with: workbench train " + copy.resolve("job.yaml")),
                result.err());
    }

    @Test
    void generateRefusesAnUnboundedLengthBeforeLoadingTheModel() {
        Result result = run("generate", irisRun.toString(), "--length", "1000000");
        assertEquals(WorkbenchCommand.BAD_INPUT, result.exitCode());
        assertOneErrorLine(result);
        assertEquals("error: --length: must be 1 to 100000 characters, got 1000000", result.err().strip());
    }

    @Test
    void serveOnABusyPortNamesTheAddress() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Result result = run("serve", irisRun.resolve("model.onnx").toString(), "--host", "127.0.0.1",
                    "--port", Integer.toString(busy.getLocalPort()));
            assertEquals(WorkbenchCommand.BAD_INPUT, result.exitCode());
            assertOneErrorLine(result);
            String address = "127.0.0.1:" + busy.getLocalPort();
            assertTrue(result.err().startsWith("error: cannot listen on " + address + ": "), result.err());
        }
    }
}
