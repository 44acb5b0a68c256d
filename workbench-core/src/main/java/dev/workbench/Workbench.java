package dev.workbench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.cpu.CpuTraining;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.data.Rows;
import dev.workbench.data.StratifiedSplit;
import dev.workbench.data.Task;
import dev.workbench.data.augment.ImageBatchAugmenter;
import dev.workbench.data.sequence.Vocabulary;
import dev.workbench.generate.TextGenerator;
import dev.workbench.io.AtomicFiles;
import dev.workbench.job.JobFile;
import dev.workbench.job.JobSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import dev.workbench.models.gnn.NodeAttention;
import dev.workbench.models.gnn.NodeGraphNetwork;
import dev.workbench.models.transformer.TokenAttention;
import dev.workbench.predict.Predictor;
import dev.workbench.report.MetricsCsv;
import dev.workbench.report.Plots;
import dev.workbench.report.ReportHtml;
import dev.workbench.report.Provenance;
import dev.workbench.report.RunFolder;
import dev.workbench.report.RunSummary;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.CheckpointStore;
import dev.workbench.train.DamagedFileException;
import dev.workbench.train.EarlyStopping;
import dev.workbench.train.Evaluator;
import dev.workbench.train.ModelArchive;
import dev.workbench.train.Network;
import dev.workbench.train.PaddingMaskedNetwork;
import dev.workbench.train.ProgressReporter;
import dev.workbench.train.Trainer;
import dev.workbench.train.TrainingDivergedException;
import dev.workbench.train.ExportedModel;
import dev.workbench.train.TrainingObjective;
import dev.workbench.train.TrainingState;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import dev.workbench.onnx.ExportRules;
import dev.workbench.onnx.ModelMetadata;
import dev.workbench.onnx.OnnxExporter;
import dev.workbench.onnx.OnnxParityCheck;
import dev.workbench.onnx.OnnxParityException;
import dev.workbench.onnx.OnnxRuntimeModel;
import onnx.Onnx;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/**
 * The Java API: read a job, train it into a run folder, resume an interrupted run, evaluate a finished one.
 * The CLI is a thin shell over this class.
 */
public final class Workbench {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Reads summary.json back, including one an older workbench wrote with fields this one no longer has. */
    private static final ObjectMapper SUMMARY_READER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final DatasetRegistry datasets;
    private final ModelRegistry models;
    private final DataLocations locations;
    private final ProgressReporter progress;

    public Workbench(DatasetRegistry datasets, ModelRegistry models, DataLocations locations, ProgressReporter progress) {
        this.datasets = datasets;
        this.models = models;
        this.locations = locations;
        this.progress = progress;
    }

    /** Built-in datasets and models, data from {@link DataLocations#fromEnvironment()}, progress on {@code out}. */
    public static Workbench standard(PrintStream out) {
        return new Workbench(DatasetRegistry.builtIn(), ModelRegistry.builtIn(), DataLocations.fromEnvironment(),
                ProgressReporter.forConsole(out));
    }

    public DatasetRegistry datasets() {
        return datasets;
    }

    public ModelRegistry models() {
        return models;
    }

    public DataLocations locations() {
        return locations;
    }

    /** Reads, overrides and validates a job file. */
    public JobSpec readJob(Path file, List<String> overrides) {
        return new JobValidator(datasets, models).validate(JobFile.read(file, overrides), file.toString());
    }

    /**
     * What one run produced.
     *
     * @param alreadyComplete true when {@link #resume} found the run finished and changed nothing
     */
    public record Run(RunFolder folder, RunSummary summary, boolean alreadyComplete) {
    }

    /**
     * Trains {@code job} in a new run folder under its output folder. A run that fails before it records anything
     * (the data does not load, the model cannot be built, the first epoch fails) removes its folder again.
     */
    public Run train(JobSpec job) {
        new JobValidator(datasets, models).validate(job, "job");
        RunFolder run = RunFolder.create(Path.of(job.output()), job.name());
        try {
            write(run.jobYaml(), JobFile.toYaml(job));
            return execute(job, run, false);
        } catch (RuntimeException | Error e) {
            try {
                run.deleteIfNothingRecorded();
            } catch (IOException | UncheckedIOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Continues the run in {@code runDir} from its newest checkpoint, in place. A run that already finished, with a
     * summary.json and a model.zip that read back, is left as it is; one whose model.zip is damaged is finished again
     * from its last checkpoint.
     */
    public Run resume(Path runDir) {
        RunFolder run = RunFolder.existing(runDir);
        JobSpec job = new JobValidator(datasets, models).validate(JobFile.load(run.jobYaml(), List.of()), run.jobYaml().toString());
        return execute(job, run, true);
    }

    /**
     * Trains the run in {@code runDir} on to {@code epochs} epochs in all, in place, from its newest checkpoint: a
     * finished run goes on (its job.yaml records the new epochs), an interrupted one resumes. A schedule that depends
     * on the number of epochs (cosine, warm-up) is recomputed for the new total from here on.
     */
    public Run extend(Path runDir, int epochs) {
        RunFolder run = RunFolder.existing(runDir);
        JobSpec job = JobFile.load(run.jobYaml(), List.of());
        TrainingSpec t = job.training();
        if (epochs < t.epochs()) {
            throw new IllegalArgumentException("--epochs " + epochs + ": " + runDir + " was already set to " + t.epochs()
                    + " epochs; give more");
        }
        JobSpec longer = new JobSpec(job.name(), job.seed(), job.dataset(), job.model(), new TrainingSpec(epochs,
                t.optimizer(), t.schedule(), t.earlyStopping(), t.checkpointEvery(), t.gradientClipping()), job.output(),
                job.search());
        new JobValidator(datasets, models).validate(longer, run.jobYaml().toString());
        write(run.jobYaml(), JobFile.toYaml(longer));
        try {
            Files.deleteIfExists(run.summaryJson());  // no longer finished: resume goes on to the new epochs
        } catch (IOException e) {
            throw new UncheckedIOException(run.summaryJson() + ": cannot remove", e);
        }
        return execute(longer, run, true);
    }

    /** Test-split metrics of a finished run's model.zip, also written to eval.json. */
    public Map<String, Double> evaluate(Path runDir) {
        FinishedRun run = finished(runDir);
        Map<String, Double> test = prefixed("test_",
                run.objective().evaluate(run.model(), run.data().test(), run.data().info()).metrics());
        write(run.folder().root().resolve("eval.json"), json(test));
        return test;
    }

    /**
     * A finished run loaded back: its folder, job, data splits (re-created from the job and prepared by the
     * objective) and model.
     */
    public record FinishedRun(RunFolder folder, JobSpec job, TrainingObjective objective, DataSplits data, Network model) {
        /** The deployment metadata, with the normaliser stored inside model.zip. */
        public ModelMetadata metadata() {
            try {
                DataNormalization normalizer = ModelSerializer.restoreNormalizerFromFile(folder.model().toFile());
                return ModelMetadata.of(job.name(), data.info(), normalizer);
            } catch (Exception e) {
                throw new IllegalArgumentException(folder.model() + ": cannot read its normaliser: " + e.getMessage(), e);
            }
        }
    }

    public FinishedRun finished(Path runDir) {
        RunFolder run = RunFolder.existing(runDir);
        JobSpec job = JobFile.load(run.jobYaml(), List.of());
        if (!Files.isRegularFile(run.model())) {
            throw new IllegalArgumentException(run.model() + ": no model; the run did not finish (resume it with --resume)");
        }
        ModelFactory factory = models.get(job.model().family(), job.model().architecture());
        DataSplits labelled = labelledData(job);
        ModelArchive archive = factory.archive(labelled.info());
        // Prepared before loading: an objective may load the model onto its data (a node classifier onto its graph).
        DataSplits prepared = archive.objective().prepare(labelled);
        Network model;
        try {
            model = archive.load(run.model());
        } catch (DamagedFileException e) {
            throw new IllegalArgumentException(e.getMessage() + "; rebuild it from the run's checkpoints with: "
                    + "workbench train --resume " + run.root(), e);
        }
        return new FinishedRun(run, job, archive.objective(), prepared, model);
    }

    /**
     * A predictor for {@code model}: a run folder (engine {@code dl4j} uses model.zip, {@code onnx} its
     * exported model.onnx) or a {@code .onnx} file (engine {@code onnx} only).
     */
    public Predictor predictor(Path model, String engine) {
        if (!List.of("dl4j", "onnx").contains(engine)) {
            throw new IllegalArgumentException("--engine: dl4j or onnx, got " + engine);
        }
        if (Files.isDirectory(model)) {
            if (engine.equals("dl4j")) {
                FinishedRun run = finished(model);
                if (run.data().graph() != null) {
                    throw graphModel(model);
                }
                return new Predictor(run.metadata(), run.model()::output, "dl4j");
            }
            Path onnx = model.resolve("model.onnx");
            if (!Files.isRegularFile(onnx)) {
                throw new IllegalArgumentException(onnx + ": missing; export it first with `workbench export " + model + "`");
            }
            model = onnx;
        } else if (engine.equals("dl4j")) {
            throw new IllegalArgumentException(model + ": the dl4j engine needs a run folder; use --engine onnx for an .onnx file");
        }
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException(model + ": no such run folder or .onnx file");
        }
        OnnxRuntimeModel onnx = OnnxRuntimeModel.load(model);
        if (onnx.takesGraph()) {
            onnx.close();
            throw graphModel(model);
        }
        Set<String> inputs = onnx.inputNames();
        if (!inputs.equals(Set.of(OnnxExporter.INPUT))) {
            onnx.close();
            throw new IllegalArgumentException(model + ": takes the inputs " + inputs + ", not one '" + OnnxExporter.INPUT
                    + "' of rows; predict and serve feed a dataset's rows (a GAN's generator draws from noise: use "
                    + "`workbench generate RUN_DIR`, or run model.onnx with ONNX Runtime as the README's export section says)");
        }
        return new Predictor(onnx.metadata(), onnx::run, "onnx");
    }

    private static IllegalArgumentException graphModel(Path model) {
        return new IllegalArgumentException(model + ": a graph model classifies the nodes of a whole graph, from their "
                + "features and the graph's edges; predict and serve take independent rows. Export it and run model.onnx "
                + "with ONNX Runtime, feeding '" + OnnxExporter.INPUT + "' and '" + OnnxExporter.EDGE_INDEX + "' (see the README)");
    }

    /** A text generator over a finished language-model run: its model, characters and training window. */
    public TextGenerator generator(Path runDir) {
        return generator(finished(runDir));
    }

    /** A text generator over a finished language-model run already loaded. */
    public TextGenerator generator(FinishedRun run) {
        Path runDir = run.folder().root();
        if (run.data().info().task() != Task.LANGUAGE_MODEL) {
            throw new IllegalArgumentException(runDir + ": generate needs a language model or a GAN; this run's task is "
                    + run.data().info().task().name().toLowerCase() + " (" + run.job().dataset().name() + ")");
        }
        int context = run.data().info().input().length();
        return new TextGenerator(() -> run.objective().nextTokenModel(run.model(), context),
                Vocabulary.closed(run.data().info().labels()));
    }

    /**
     * The attention weights of one node's neighbourhood in a finished graph attention run ({@code layer} 0 is the
     * first layer).
     */
    public NodeAttention attention(Path runDir, int node, int layer) {
        FinishedRun run = finished(runDir);
        if (!(run.model() instanceof NodeGraphNetwork network)) {
            throw new IllegalArgumentException(runDir + ": attention needs a graph network run; this one is "
                    + run.job().model().family() + "/" + run.job().model().architecture());
        }
        return network.attention(run.data().test().getFeatures(), node, layer);
    }

    /** Where {@link #attention(Path, String, Path)} wrote its heatmaps (the numbers are beside, as .json) and what they show. */
    public record TextAttention(Path file, TokenAttention attention) {
    }

    /**
     * The attention of every layer and head of a finished transformer run over {@code text}, as the model reads it
     * (padding masked when the run trained with its padding mask, the causal order of a decoder), drawn as a grid of
     * heatmaps to {@code output} ({@code RUN_DIR/attention.png} when null) with its numbers beside it as JSON.
     */
    public TextAttention attention(Path runDir, String text, Path output) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("--text: empty; give the sentence or text to read");
        }
        FinishedRun run = finished(runDir);
        if (!run.job().model().family().equals("transformer") || run.data().vocabulary() == null) {
            throw new IllegalArgumentException(runDir + ": attention over text needs a transformer run on token data; this "
                    + "one is " + run.job().model().family() + "/" + run.job().model().architecture() + " on "
                    + run.job().dataset().name() + (run.data().graph() != null ? " (for a GAT use --node)" : ""));
        }
        TokenAttention attention = TokenAttention.of(run.model(), run.data().vocabulary(), text,
                run.data().info().input().length());
        Path file = output != null ? output : run.folder().root().resolve("attention.png");
        try {
            attention.write(file, "Attention of " + run.job().name() + " on the given text");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return new TextAttention(file, attention);
    }

    /** Where an export went, at which opset, and how it compared with DL4J. */
    public record Export(Path file, int opset, OnnxParityCheck.Report parity) {
    }

    /**
     * Writes the run's model as ONNX ({@code RUN_DIR/model.onnx} unless {@code output} is given), then runs
     * {@code samples} test inputs through DL4J and ONNX Runtime (a graph model: every node of its graph, with the
     * edges); the comparison goes to onnx-parity.json.
     *
     * @param opset the lowest opset to write: a layer that needs a newer one raises it
     * @throws OnnxParityException when the outputs differ beyond tolerance (the file is then removed)
     */
    public Export export(Path runDir, int opset, Path output, int samples) {
        return export(runDir, opset, output, samples, OnnxParityCheck.RTOL, OnnxParityCheck.ATOL);
    }

    /** As {@link #export(Path, int, Path, int)} with explicit parity tolerances (recorded in onnx-parity.json). */
    public Export export(Path runDir, int opset, Path output, int samples, double rtol, double atol) {
        FinishedRun run = finished(runDir);
        run.objective().exportRefusal().ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        OnnxExporter exporter = new OnnxExporter(ExportRules.standard());
        Optional<ExportedModel> own = run.objective().exportedModel(run.model(), samples);
        Onnx.ModelProto proto;
        if (own.isPresent()) {
            proto = exporter.export(own.get(), run.metadata(), opset);
        } else if (run.model().model() instanceof MultiLayerNetwork net) {
            // A padding-masked model's graph computes its mask from the ids, as the network does.
            proto = exporter.export(net, run.data().info().input(), run.metadata(), opset,
                    run.model() instanceof PaddingMaskedNetwork);
        } else if (run.model().model() instanceof ComputationGraph graph) {
            proto = exporter.export(graph, run.data().info().input(), run.metadata(), opset);
        } else {
            throw new IllegalArgumentException("export supports MultiLayerNetwork and ComputationGraph models; got "
                    + run.model().model().getClass().getSimpleName());
        }
        Path file = output != null ? output : run.folder().root().resolve("model.onnx");
        try {
            AtomicFiles.write(file, tmp -> Files.write(tmp, proto.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        DataSet test = run.data().test();
        OnnxParityCheck.Report report;
        try (OnnxRuntimeModel onnx = OnnxRuntimeModel.load(file)) {
            if (own.isPresent()) {
                report = OnnxParityCheck.compare(own.get(), onnx, rtol, atol);
            } else if (run.data().graph() != null) {
                // A graph's rows are its nodes, each depending on its neighbours: the whole graph is the one input.
                report = OnnxParityCheck.compare(run.model(), onnx, test.getFeatures(), run.data().graph(), rtol, atol);
            } else {
                INDArray inputs = Rows.range(test.getFeatures(), 0, Math.min(samples, test.numExamples()));
                report = OnnxParityCheck.compare(run.model(), onnx, inputs, rtol, atol);
            }
        }
        write(run.folder().root().resolve("onnx-parity.json"), json(report));
        if (!report.passed()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new OnnxParityException(report);
        }
        return new Export(file, (int) proto.getOpsetImport(0).getVersion(), report);
    }

    private DataSplits labelledData(JobSpec job) {
        DataSplits data = datasets.get(job.dataset().name())
                .load(job.dataset(), job.dataset().splits().seedOr(job.seed()), locations);
        return job.dataset().limit() == null ? data : data.withTrainLimit(job.dataset().limit());
    }

    private Run execute(JobSpec job, RunFolder run, boolean resume) {
        long start = System.nanoTime();
        ModelFactory factory = models.get(job.model().family(), job.model().architecture());
        DataSplits labelled = labelledData(job);
        Hyperparameters hp = Hyperparameters.resolve(factory.hyperparameters(), job.model().hyperparameters());
        ModelArchive archive = factory.archive(labelled.info(), hp);
        TrainingObjective objective = archive.objective();
        DataSplits data = objective.prepare(labelled);
        int iterationsPerEpoch = objective.batchesPerEpoch(data.train().numExamples(), job.dataset().batchSize());
        CheckpointStore checkpoints = new CheckpointStore(run.checkpoints(), archive);
        if (resume) {
            Optional<RunSummary> finished = finishedSummary(run, archive);
            if (finished.isPresent()) {
                return new Run(run, finished.get(), true);
            }
        }

        BaseConfiguration base = new BaseConfiguration(job.seed(), job.training(), iterationsPerEpoch);
        Network network;
        TrainingState state;
        if (resume) {
            CheckpointStore.Restored restored = checkpoints.restore(progress::warning).orElseThrow(
                    () -> new IllegalArgumentException(run.checkpoints() + ": no checkpoint to resume from; start the job "
                            + "again instead"));
            state = restored.state();
            network = CpuTraining.forTraining(restored.network().followingSchedule(base));
        } else {
            network = CpuTraining.forTraining(objective.network(factory.build(new ModelContext(data.info(), hp, base))));
            state = TrainingState.fresh();
        }
        // The processes before this one, up to their last checkpoint; this one is added as it goes.
        double earlierSeconds = state.wallSeconds();
        Network trained = network;
        Trainer trainer = new Trainer(job.training(), job.dataset().batchSize(), job.seed(), checkpoints, progress,
                s -> {
                    writeMetrics(run, s);
                    try {
                        objective.epochEnded(trained, s, run.plots(), progress::warning);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write the plots of " + run.root(), e);
                    }
                });
        if (job.dataset().augmentation() != null) {
            ImageBatchAugmenter augmenter = ImageBatchAugmenter.of(job.dataset().augmentation(), data);
            trainer.transformingBatches((batch, random) -> objective.afterAugmentation(augmenter.apply(batch, random)),
                    job.dataset().augmentation().prefetch());
        }
        String monitored = new EarlyStopping(job.training().earlyStopping()).metric();
        Trainer.Outcome outcome;
        try {
            outcome = trainer.train(network, objective, data, state.withWallSeconds(earlierSeconds + seconds(start)));
        } catch (TrainingDivergedException e) {
            TrainingState last;
            try {
                last = checkpoints.latest().orElse(TrainingState.fresh());
            } catch (DamagedFileException damaged) {
                last = state;  // resumed past a damaged state.json, and no checkpoint since
            }
            RunSummary summary = RunSummary.of(job.name(), job.seed()).status("diverged", e.getMessage())
                    .objective(objective.name())
                    .epochs(last.completedEpochs(), last.bestEpoch(), monitored)
                    .timing(earlierSeconds + seconds(start), last.trainSamplesPerSecond())
                    .model(network.parameterCount(), hp.asMap())
                    .provenance(provenance(labelled))
                    .build();
            finish(run, summary, last, null, data, List.of());
            throw e;
        }
        Network model = job.training().earlyStopping() != null && Files.isRegularFile(checkpoints.bestModel())
                ? archive.load(checkpoints.bestModel()) : network;
        saveModel(run, archive, model, data);
        Evaluator.Scores test = objective.evaluate(model, data.test(), data.info());
        Map<String, Double> testMetrics = prefixed("test_", test.metrics());
        testMetrics.putAll(prefixed("test_", objective.extraTestMetrics(model, labelled, data,
                job.dataset().trainClasses())));
        TrainingState end = outcome.state();
        RunSummary summary = RunSummary.of(job.name(), job.seed())
                .status(outcome.stoppedEarly() ? "stopped_early" : "completed", null)
                .objective(objective.name())
                .epochs(end.completedEpochs(),
                        job.training().earlyStopping() != null ? end.bestEpoch() : end.completedEpochs(), monitored)
                .test(testMetrics)
                .timing(earlierSeconds + seconds(start), end.trainSamplesPerSecond())
                .model(model.parameterCount(), hp.asMap())
                .provenance(provenance(labelled))
                .build();
        List<Path> modelPlots;
        try {
            int[] testClasses = labelled.info().task() == Task.CLASSIFICATION ? StratifiedSplit.classesOf(labelled.test()) : null;
            modelPlots = objective.plots(model, data, testClasses, run.plots());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plots of " + run.root(), e);
        }
        finish(run, summary, end, test.confusion(), data, modelPlots);
        return new Run(run, summary, false);
    }

    /**
     * The summary of a run that finished (completed or stopped early) with a model.zip that reads back; empty when
     * resume has something to do, with a warning when that is rebuilding a damaged file.
     */
    private Optional<RunSummary> finishedSummary(RunFolder run, ModelArchive archive) {
        if (!Files.isRegularFile(run.summaryJson()) || !Files.isRegularFile(run.model())) {
            return Optional.empty();
        }
        RunSummary summary;
        try {
            summary = SUMMARY_READER.readValue(run.summaryJson().toFile(), RunSummary.class);
        } catch (IOException e) {
            progress.warning(run.summaryJson() + ": cannot be read (" + e.getClass().getSimpleName() + "); finishing the "
                    + "run again from its last checkpoint");
            return Optional.empty();
        }
        if (!List.of("completed", "stopped_early").contains(summary.status())) {
            return Optional.empty();
        }
        try {
            archive.load(run.model());
        } catch (DamagedFileException e) {
            progress.warning(e.getMessage() + "; rebuilding it from the run's last checkpoint");
            return Optional.empty();
        }
        return Optional.of(summary);
    }

    /** @param modelPlots plots the objective wrote (reconstructions, samples, ...) */
    /** The workbench, libraries and data files a run used; the commit when the workbench runs from a checkout. */
    private Provenance provenance(DataSplits labelled) {
        String root = System.getProperty("workbench.root");
        return Provenance.of(root == null ? null : Path.of(root), labelled.info().name(),
                locations.folder(labelled.info()));
    }

    private void finish(RunFolder run, RunSummary summary, TrainingState state, int[][] confusion, DataSplits data,
                        List<Path> modelPlots) {
        try {
            write(run.summaryJson(), json(summary));
            List<Path> plots = new ArrayList<>(Plots.curves(run.plots(), state.history()));
            if (confusion != null) {
                plots.add(Plots.confusion(run.plots(), confusion, data.info().labels()));
            }
            plots.addAll(modelPlots);
            ReportHtml.write(run, summary, state.history(), plots);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report of " + run.root(), e);
        }
    }

    private static void saveModel(RunFolder run, ModelArchive archive, Network model, DataSplits data) {
        try {
            AtomicFiles.write(run.model(), tmp -> {
                // DL4J's own layer classes, so DL4J alone can load it wherever it has the layers.
                archive.save(CpuTraining.plain(model), tmp, data.vocabulary() == null ? Map.of()
                        : ModelArchive.vocabularyEntry(data.vocabulary().tokens()));
                if (data.normalizer() != null) {
                    ModelSerializer.addNormalizerToModel(tmp.toFile(), data.normalizer());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + run.model(), e);
        }
    }

    private static void writeMetrics(RunFolder run, TrainingState state) {
        try {
            MetricsCsv.write(run.metricsCsv(), state.history());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + run.metricsCsv(), e);
        }
    }

    private static Map<String, Double> prefixed(String prefix, Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            AtomicFiles.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
