package dev.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.JobFile;
import dev.workbench.job.JobSpec;
import dev.workbench.models.ModelRegistry;
import dev.workbench.train.ModelArchive;
import dev.workbench.train.Network;
import dev.workbench.train.ProgressReporter;
import dev.workbench.train.SupervisedObjective;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** A workbench over the committed datasets that prints nothing, and jobs written inline for tests. */
public final class TestWorkbench {
    private TestWorkbench() {
    }

    /** The network's configuration through JSON and back, asserted equal to it: what a saved model restores. */
    public static MultiLayerConfiguration savedAndRestored(MultiLayerNetwork net) {
        MultiLayerConfiguration restored = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        assertEquals(net.getLayerWiseConfigurations(), restored, "configuration after a JSON round trip");
        return restored;
    }

    /** A model archive for tests that save a network outside a run: one DL4J network, read back by its kind. */
    public static final ModelArchive ARCHIVE = new ModelArchive("test", "test",
            new SupervisedObjective(dev.workbench.data.Task.CLASSIFICATION));

    /** {@code network} saved to {@code file} as a run saves its model.zip, and read back. */
    public static Network savedAndLoaded(Network network, Path file) throws java.io.IOException {
        ARCHIVE.save(network, file);
        return ARCHIVE.load(file);
    }

    /**
     * Trains {@code job} until {@link InterruptAfter} stops it after {@code epoch}, as a killed process would, then
     * resumes the run it left in {@code output} (where the job writes, empty before); returns the resumed run.
     */
    public static Workbench.Run interruptedThenResumed(JobSpec job, int epoch, Path output)
            throws java.io.IOException {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> with(new InterruptAfter(epoch)).train(job));
        Path partial;
        try (java.util.stream.Stream<Path> runs = java.nio.file.Files.list(output)) {
            partial = runs.findFirst().orElseThrow();
        }
        return quiet().resume(partial);
    }

    /**
     * A resumed run ended as the uninterrupted one: the same {@code epochs} rows of train and validation loss, to the
     * last bit, and the same test metrics.
     */
    public static void assertEndsAlike(Workbench.Run straight, Workbench.Run resumed, int epochs) throws java.io.IOException {
        List<dev.workbench.train.EpochMetrics> expected = dev.workbench.report.MetricsCsv.read(straight.folder().metricsCsv());
        List<dev.workbench.train.EpochMetrics> actual = dev.workbench.report.MetricsCsv.read(resumed.folder().metricsCsv());
        assertEquals(epochs, actual.size());
        for (int i = 0; i < epochs; i++) {
            for (String metric : List.of("train_loss", "val_loss")) {
                assertEquals(expected.get(i).get(metric), actual.get(i).get(metric), 0.0, "epoch " + (i + 1) + " " + metric);
            }
        }
        assertEquals(straight.summary().test(), resumed.summary().test());
    }

    /** The first {@code n} examples (fewer if the split is smaller), as a real minibatch for a test. */
    public static org.nd4j.linalg.dataset.DataSet firstRows(org.nd4j.linalg.dataset.DataSet data, int n) {
        return dev.workbench.data.Rows.first(data, n);
    }

    public static Workbench quiet() {
        return with(new ProgressReporter.Lines(new PrintStream(OutputStream.nullOutputStream())));
    }

    public static Workbench with(ProgressReporter progress) {
        return new Workbench(DatasetRegistry.builtIn(), ModelRegistry.builtIn(), DataLocations.fromEnvironment(), progress);
    }

    /** A small iris MLP job writing under {@code output}; {@code overrides} as for --set. */
    public static JobSpec irisJob(Path output, String... overrides) {
        String yaml = """
                name: iris-test
                seed: 11
                dataset: {name: iris, batch_size: 16, splits: {validation: 0.2, test: 0.2}}
                model: {family: dense, architecture: mlp, hyperparameters: {hidden: [16, 8], dropout: 0.1}}
                training:
                  epochs: 6
                  optimizer: {type: adam, lr: 0.02}
                  schedule: {type: cosine, warmup_epochs: 1, min_lr: 0.001}
                  early_stopping: {metric: val_loss, patience: 10}
                  checkpoint_every: 1
                output: %s
                """.formatted(output.toString().replace("\\", "/"));
        return JobFile.parse(yaml, "iris-test.yaml", List.of(overrides));
    }
}
