package dev.workbench.models.gnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.InterruptAfter;
import dev.workbench.TestWorkbench;
import dev.workbench.Workbench;
import dev.workbench.job.JobFile;
import dev.workbench.job.JobFileException;
import dev.workbench.job.JobSpec;
import dev.workbench.report.MetricsCsv;
import dev.workbench.train.EpochMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GCN, GAT and sampled GraphSAGE train on Cora through the one trainer: learn, save and load, resume exactly. */
class GnnFamilyTest {
    private static JobSpec job(Path output, String architecture, int epochs) {
        return job(output, architecture, epochs, 2708, "{}");
    }

    private static JobSpec job(Path output, String architecture, int epochs, int batchSize, String hyperparameters) {
        return JobFile.parse("""
                name: cora-test
                seed: 3
                dataset: {name: cora, batch_size: %d, normalization: none}
                model: {family: gnn, architecture: %s, hyperparameters: %s}
                training: {epochs: %d, optimizer: {type: adam, lr: 0.01}, checkpoint_every: 1}
                output: %s
                """.formatted(batchSize, architecture, hyperparameters, epochs, output.toString().replace("\\", "/")),
                "cora-test.yaml", List.of());
    }

    /** GraphSAGE's sampled minibatches: 20 epochs of 5 steps of 32 training nodes each, on 25 and 10 neighbours. */
    private static JobSpec sampledSage(Path output, int epochs) {
        return job(output, "sage", epochs, 32, "{fanouts: [25, 10]}");
    }

    @Test
    void gcnLearnsCoraAndItsSavedModelScoresTheSame(@TempDir Path dir) throws Exception {
        Workbench workbench = TestWorkbench.quiet();
        Workbench.Run run = workbench.train(job(dir, "gcn", 40));
        double accuracy = run.summary().test().get("test_accuracy");
        assertTrue(accuracy > 0.70, "GCN after 40 full-graph epochs on Cora: test accuracy " + accuracy);
        assertEquals("node_classification", run.summary().objective());
        Map<String, Double> reloaded = workbench.evaluate(run.folder().root());
        assertEquals(run.summary().test(), reloaded);
        assertTrue(Files.size(run.folder().plots().resolve("embeddings.png")) > 10_000);
    }

    @Test
    void gatLearnsCoraAndItsSavedModelScoresTheSame(@TempDir Path dir) throws Exception {
        Workbench workbench = TestWorkbench.quiet();
        Workbench.Run run = workbench.train(job(dir, "gat", 30));
        double accuracy = run.summary().test().get("test_accuracy");
        assertTrue(accuracy > 0.70, "GAT after 30 full-graph epochs on Cora: test accuracy " + accuracy);
        assertEquals(run.summary().test(), workbench.evaluate(run.folder().root()));

        // Node 0 cites 633, 1862 and 2582 (edges.csv); it attends to them and to itself, each head summing to 1.
        NodeAttention attention = workbench.attention(run.folder().root(), 0, 0);
        assertEquals(List.of(0, 633, 1862, 2582), java.util.Arrays.stream(attention.neighbours()).boxed().toList());
        assertEquals(8, attention.weights().length);
        for (double[] head : attention.weights()) {
            assertEquals(1.0, java.util.Arrays.stream(head).sum(), 1e-6, "a float network: to float precision");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> workbench.attention(run.folder().root(), 0, 2));
        assertTrue(e.getMessage().startsWith("--layer: layer 2 is not a graph attention layer"), e.getMessage());
    }

    @Test
    void sageLearnsCoraFromSampledMinibatches(@TempDir Path dir) throws Exception {
        Workbench workbench = TestWorkbench.quiet();
        Workbench.Run run = workbench.train(sampledSage(dir, 20));
        double accuracy = run.summary().test().get("test_accuracy");
        assertTrue(accuracy > 0.70, "GraphSAGE after 20 epochs of sampled minibatches on Cora: test accuracy " + accuracy);
        // Evaluation runs on the whole graph, so the saved model scores the same.
        assertEquals(run.summary().test(), workbench.evaluate(run.folder().root()));
    }

    /** Every batch draws its neighbourhoods: a resumed run must draw the same ones. */
    @Test
    void anInterruptedSampledSageRunResumesToTheSameMetrics(@TempDir Path dir) throws Exception {
        resumesToTheSameMetrics(sampledSage(dir, 4), dir, 2);
    }

    /** GAT draws attention dropout in every step: a resumed run must draw the same. */
    @Test
    void anInterruptedGatRunResumesToTheSameMetrics(@TempDir Path dir) throws Exception {
        resumesToTheSameMetrics(job(dir, "gat", 4), dir, 2);
    }

    @Test
    void anInterruptedRunResumesToTheSameMetrics(@TempDir Path dir) throws Exception {
        resumesToTheSameMetrics(job(dir, "gcn", 6), dir, 3);
    }

    private static void resumesToTheSameMetrics(JobSpec job, Path dir, int interruptAfter) throws Exception {
        Workbench.Run straight = TestWorkbench.quiet().train(job);
        assertThrows(IllegalStateException.class, () -> TestWorkbench.with(new InterruptAfter(interruptAfter)).train(job));
        Path partial = Files.list(dir).filter(p -> !p.equals(straight.folder().root())).findFirst().orElseThrow();
        Workbench.Run resumed = TestWorkbench.quiet().resume(partial);
        List<EpochMetrics> expected = MetricsCsv.read(straight.folder().metricsCsv());
        List<EpochMetrics> actual = MetricsCsv.read(resumed.folder().metricsCsv());
        assertEquals(job.training().epochs(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            for (String metric : List.of("train_loss", "val_loss", "val_accuracy")) {
                assertEquals(expected.get(i).get(metric), actual.get(i).get(metric), 0.0, "epoch " + (i + 1) + " " + metric);
            }
        }
        assertEquals(straight.summary().test(), resumed.summary().test());
    }

    @Test
    void aDatasetWithoutAGraphGetsAClearMessage(@TempDir Path dir) {
        JobSpec job = JobFile.parse("""
                name: not-a-graph
                dataset: {name: iris, batch_size: 16}
                model: {family: gnn, architecture: gcn}
                training: {epochs: 1}
                output: %s
                """.formatted(dir.toString().replace("\\", "/")), "job.yaml", List.of());
        JobFileException e = assertThrows(JobFileException.class, () -> TestWorkbench.quiet().train(job));
        assertTrue(e.getMessage().contains("dataset.name: model.family gnn classifies the nodes of a graph; iris is not one"),
                e.getMessage());
    }
}
