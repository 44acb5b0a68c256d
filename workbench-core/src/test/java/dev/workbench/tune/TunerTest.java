package dev.workbench.tune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.InterruptAfter;
import dev.workbench.QuietProgress;
import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.job.JobFileException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TunerTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dir;

    /** An iris MLP search; {@code search} is the body of the search block, indented by four spaces. */
    private Path job(int epochs, String search) throws Exception {
        String yaml = """
                name: iris-search
                seed: 5
                dataset: {name: iris, batch_size: 16, splits: {validation: 0.2, test: 0.2}}
                model: {family: dense, architecture: mlp, hyperparameters: {hidden: [16], activation: tanh}}
                training:
                  epochs: %d
                  optimizer: {type: adam, lr: 0.01}
                output: %s
                search:
                %s""".formatted(epochs, dir.resolve("out").toString().replace("\\", "/"), search.indent(2));
        Path file = dir.resolve("search.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static final String RANDOM = """
            strategy: random
            candidates: 3
            metric: val_loss
            space:
              training.optimizer.lr: {min: 0.001, max: 0.1, scale: log}
              model.hyperparameters.hidden: {values: [[8], [16]]}
            """;

    private static Tuner tuner(Workbench workbench) {
        return new Tuner(workbench, QUIET);
    }

    @Test
    void aRandomSearchLeavesRunsResultsAndABestJobThatReproducesItsMetric() throws Exception {
        Tuner.Result result = tuner(TestWorkbench.quiet()).tune(job(4, RANDOM), List.of(), 1);
        assertEquals(3, result.ranked().size());
        result.ranked().forEach(c -> assertEquals("completed", c.status(), c.name()));
        for (int i = 1; i < 3; i++) {
            assertTrue(result.ranked().get(i - 1).score() <= result.ranked().get(i).score(), "val_loss ranked lowest first");
        }
        List<String> csv = Files.readAllLines(result.folder().resolve("results.csv"));
        assertEquals(4, csv.size(), "header and one row per candidate");
        assertTrue(csv.get(0).startsWith("candidate,status,epochs,val_loss,seconds,training.optimizer.lr,model.hyperparameters.hidden"));
        assertTrue(Files.readString(result.folder().resolve("report.html")).contains("best-so-far.png"));

        Workbench.Run again = TestWorkbench.quiet().train(TestWorkbench.quiet().readJob(result.folder().resolve("best.yaml"), List.of()));
        double reproduced = new ValidationScore("val_loss", true).of(again.folder().root());
        assertEquals(result.best().score(), reproduced, 1e-6, "best.yaml trains the best candidate again");
    }

    @Test
    void successiveHalvingStopsAllButTheBestThirdAtEachRung() throws Exception {
        Tuner.Result result = tuner(TestWorkbench.quiet()).tune(job(9, """
                strategy: random
                candidates: 9
                metric: val_loss
                halving: {min_epochs: 1, reduction: 3}
                space:
                  training.optimizer.lr: {min: 0.0005, max: 0.2, scale: log}
                """), List.of(), 1);
        Map<Integer, Integer> epochsCount = new TreeMap<>();
        result.ranked().forEach(c -> epochsCount.merge(c.epochs(), 1, Integer::sum));
        assertEquals(Map.of(1, 6, 3, 2, 9, 1), epochsCount, "rungs of 1, 3 and 9 epochs: 9 -> 3 -> 1 candidates");
        assertEquals(8, result.ranked().stream().filter(c -> c.status().equals("stopped")).count());
        Candidate last = result.ranked().stream().filter(c -> c.epochs() == 9).findFirst().orElseThrow();
        assertEquals("completed", last.status());
        // The survivor went on in its own run folder: 9 rows of metrics in one folder.
        assertEquals(9, Files.readAllLines(Path.of(last.run()).resolve("metrics.csv")).size() - 1);
    }

    @Test
    void aFailingCandidateIsRecordedWithItsReasonAndTheSearchGoesOn() throws Exception {
        Tuner.Result result = tuner(TestWorkbench.quiet()).tune(job(3, """
                strategy: grid
                candidates: 10
                metric: val_loss
                space:
                  training.optimizer.type: {values: [sgd]}
                  model.hyperparameters.activation: {values: [relu]}
                  training.optimizer.lr: {values: [0.01, 1.0e+38]}
                """), List.of(), 1);
        assertEquals(2, result.ranked().size());
        Candidate good = result.ranked().get(0);
        Candidate bad = result.ranked().get(1);
        assertEquals("completed", good.status());
        assertEquals("failed", bad.status());
        assertTrue(bad.reason().contains("NaN") || bad.reason().contains("infinite") || bad.reason().contains("diverge"), bad.reason());
        assertTrue(Files.readString(result.folder().resolve("results.csv")).contains("failed"));
    }

    @Test
    void arbitersGeneticGeneratorDrawsCandidatesOnThisDl4j() throws Exception {
        Tuner.Result result = tuner(TestWorkbench.quiet()).tune(job(2, """
                strategy: genetic
                candidates: 4
                metric: val_loss
                space:
                  training.optimizer.lr: {min: 0.001, max: 0.1, scale: log}
                  model.hyperparameters.hidden: {values: [[8], [16]]}
                """), List.of(), 1);
        assertEquals(4, result.ranked().size());
        for (Candidate c : result.ranked()) {
            assertEquals("completed", c.status(), c.name() + ": " + c.reason());
            double lr = ((Number) c.values().get("training.optimizer.lr")).doubleValue();
            assertTrue(lr >= 0.001 && lr <= 0.1, "lr " + lr);
        }
    }

    @Test
    void theTimeBudgetStopsDrawingCandidates() throws Exception {
        // Each candidate's training is held past the 1.2 s budget, whatever the machine's speed (a fast CI machine
        // trained 20 iris epochs inside a 0.3 s budget); drawing the first candidate takes milliseconds.
        Tuner.Result result = tuner(TestWorkbench.with(new SlowEpochs(1_500))).tune(job(2, """
                strategy: random
                candidates: 20
                budget_minutes: 0.02
                space:
                  training.optimizer.lr: {min: 0.001, max: 0.1, scale: log}
                """), List.of(), 1);
        assertEquals(1, result.ranked().size(), "the first candidate starts within the budget; no other does");
    }

    /** Makes every run's first epoch last at least {@code millis}. */
    private static final class SlowEpochs extends QuietProgress {
        private final long millis;

        SlowEpochs(long millis) {
            this.millis = millis;
        }

        @Override
        public void epochStarted(int epoch, int epochs, int batches) {
            if (epoch == 1) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }


    @Test
    void aResumedSearchTrainsNoFinishedCandidateAgainAndResumesTheCutOffOne() throws Exception {
        Path job = job(3, RANDOM);
        Workbench killedInSecondCandidate = TestWorkbench.with(InterruptAfter.killing(2, 2));
        assertThrows(IllegalStateException.class, () -> tuner(killedInSecondCandidate).tune(job, List.of(), 1));
        Path folder;
        try (Stream<Path> searches = Files.list(dir.resolve("out"))) {
            folder = searches.filter(p -> p.getFileName().toString().startsWith("iris-search-search-")).findFirst().orElseThrow();
        }
        Path first;
        try (Stream<Path> runs = Files.list(folder.resolve("runs"))) {
            first = runs.filter(p -> p.getFileName().toString().startsWith("iris-search-c000-")).findFirst().orElseThrow();
        }
        byte[] firstMetrics = Files.readAllBytes(first.resolve("metrics.csv"));
        long firstModified = Files.getLastModifiedTime(first.resolve("model.zip")).toMillis();

        Tuner.Result result = tuner(TestWorkbench.quiet()).resume(folder, 1);
        assertEquals(3, result.ranked().size());
        result.ranked().forEach(c -> assertEquals("completed", c.status(), c.name()));
        assertArrayEquals(firstMetrics, Files.readAllBytes(first.resolve("metrics.csv")), "candidate 0 not trained again");
        assertEquals(firstModified, Files.getLastModifiedTime(first.resolve("model.zip")).toMillis());
        try (Stream<Path> runs = Files.list(folder.resolve("runs"))) {
            assertEquals(3, runs.count(), "the cut-off candidate went on in its own folder");
        }
        Candidate second = result.ranked().stream().filter(c -> c.index() == 1).findFirst().orElseThrow();
        assertEquals(3, second.epochs());
    }

    @Test
    void workerProcessesTrainCandidatesInParallel() throws Exception {
        Tuner.Result result = tuner(TestWorkbench.quiet()).tune(job(2, RANDOM.replace("candidates: 3", "candidates: 2")), List.of(), 2);
        assertEquals(2, result.ranked().size());
        result.ranked().forEach(c -> assertEquals("completed", c.status(), c.name() + ": " + c.reason()));
        assertTrue(Files.isRegularFile(result.folder().resolve("logs").resolve("iris-search-c000.log")));
    }

    @Test
    void aMisspeltPathIsNamedBeforeAnythingTrains() throws Exception {
        JobFileException e = assertThrows(JobFileException.class, () -> tuner(TestWorkbench.quiet()).tune(job(3, """
                metric: val_accuracy
                space:
                  model.hyperparamters.hidden: {values: [[8]]}
                  training.optimizer.lr: {min: 0.1, max: 0.01}
                """), List.of(), 1));
        String problems = String.join("\n", e.problems());
        assertTrue(problems.contains("search.space.model.hyperparamters.hidden: [8] does not make a valid job: model.hyperparamters: unknown key"), problems);
        assertTrue(problems.contains("search.space.training.optimizer.lr: a float range needs min < max"), problems);
        assertNotNull(e.getMessage());
        assertTrue(!Files.exists(dir.resolve("out")), "nothing written");
    }
}
