package dev.workbench;

import dev.workbench.data.DatasetInfo;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.data.DatasetSource;
import dev.workbench.data.Normalization;
import dev.workbench.job.AugmentationSpec;
import dev.workbench.job.BoundJob;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.EarlyStoppingSpec;
import dev.workbench.job.GradientClippingSpec;
import dev.workbench.job.JobFileException;
import dev.workbench.job.JobSpec;
import dev.workbench.job.ModelSpec;
import dev.workbench.job.OptimizerSpec;
import dev.workbench.job.ScheduleSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import dev.workbench.naming.ClosestName;
import dev.workbench.train.BaseConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a bound job against ranges, the dataset registry and the chosen architecture. All problems are
 * reported at once, each with its field path, so a user fixes a job file in one pass.
 */
public final class JobValidator {
    private final DatasetRegistry datasets;
    private final ModelRegistry models;

    public JobValidator(DatasetRegistry datasets, ModelRegistry models) {
        this.datasets = datasets;
        this.models = models;
    }

    /** @throws JobFileException listing every problem, prefixed by {@code source} */
    public JobSpec validate(JobSpec job, String source) {
        return validate(new BoundJob(job, List.of()), source);
    }

    /**
     * Checks what {@code bound} holds and lists its problems after those found while binding, leaving out any about a
     * field already at fault there (it holds a default, or nothing).
     *
     * @throws JobFileException listing every problem, prefixed by {@code source}
     */
    public JobSpec validate(BoundJob bound, String source) {
        List<String> problems = new ArrayList<>(bound.problems());
        ranges(bound.job()).stream().filter(p -> !bound.alreadyAtFault(BoundJob.pathOf(p))).forEach(problems::add);
        if (!problems.isEmpty()) {
            throw new JobFileException(source, problems);
        }
        return bound.job();
    }

    private List<String> ranges(JobSpec job) {
        List<String> problems = new ArrayList<>();
        if (job.name() == null || !job.name().matches("[A-Za-z0-9._-]+")) {
            problems.add("name: required, letters, digits, '.', '_' or '-' (it names the run folder), got "
                    + (job.name() == null ? "nothing" : "'" + job.name() + "'"));
        }
        if (job.output().isBlank()) {
            problems.add("output: must name a folder");
        }
        DatasetInfo data = dataset(job.dataset(), problems);
        ModelFactory factory = model(job.model(), data, problems);
        if (data != null && factory != null) {
            graphPairing(datasets.get(data.name()), factory, problems);
        }
        // The objective says what early stopping may monitor (an autoencoder's are reconstruction errors).
        List<String> metrics = data == null || factory == null ? null : factory.objective(data).metricNames();
        training(job.training(), metrics, problems);
        return problems;
    }

    private DatasetInfo dataset(DatasetSpec spec, List<String> problems) {
        if (spec == null || spec.name() == null) {
            problems.add("dataset.name: required; known: " + String.join(", ", datasets.all().stream().map(s -> s.info().name()).toList()));
            return null;
        }
        Optional<DatasetSource> source = datasets.find(spec.name());
        if (source.isEmpty()) {
            problems.add("dataset.name: " + datasets.unknown(spec.name()));
            return null;
        }
        DatasetInfo info = source.get().info();
        atLeast(problems, "dataset.batch_size", spec.batchSize(), 1);
        fraction(problems, "dataset.splits.validation", spec.splits().validation(), false);
        fraction(problems, "dataset.splits.test", spec.splits().test(), false);
        if (!info.fixedTestSplit() && spec.splits().validation() + spec.splits().test() >= 0.9) {
            problems.add("dataset.splits: validation + test must leave at least 10% to train, got "
                    + (spec.splits().validation() + spec.splits().test()));
        }
        oneOf(problems, "dataset.normalization", spec.normalization(), Normalization.KINDS);
        if ("scale".equals(spec.normalization()) && info.pixelMax() <= 0) {
            problems.add("dataset.normalization: 'scale' needs image data with a known pixel range; "
                    + info.name() + " is tabular: use standardize or min_max");
        }
        if (info.input().isTokens() && !List.of("none", "standardize").contains(spec.normalization())) {
            // "standardize" is the default, so it is accepted and ignored: ids are categories, not magnitudes.
            problems.add("dataset.normalization: " + info.name() + " is token ids, which are not normalised; use none");
        }
        for (int i = 0; i < spec.trainClasses().size(); i++) {
            int c = spec.trainClasses().get(i);
            if (info.task() != dev.workbench.data.Task.CLASSIFICATION || c < 0 || c >= info.numClasses()) {
                problems.add("dataset.train_classes[" + i + "]: must be a class index of " + info.name() + " in [0, "
                        + (info.numClasses() - 1) + "], got " + c);
            }
        }
        if (spec.sequenceLength() != null) {
            if (!info.input().isSequence()) {
                problems.add("dataset.sequence_length: " + info.name() + " is not sequence data (input " + info.input() + ")");
            } else {
                atLeast(problems, "dataset.sequence_length", spec.sequenceLength(), 2);
            }
        }
        if (spec.limit() != null) {
            atLeast(problems, "dataset.limit", spec.limit(), 1);
        }
        AugmentationSpec augmentation = spec.augmentation();
        if (augmentation != null) {
            if (!info.input().isImage()) {
                problems.add("dataset.augmentation: image transforms need image data; " + info.name() + " has input " + info.input());
            }
            atLeast(problems, "dataset.augmentation.shift", augmentation.shift(), 0);
            if (!(augmentation.rotation() >= 0 && augmentation.rotation() <= 180)) {
                problems.add("dataset.augmentation.rotation: must be in [0, 180] degrees, got " + augmentation.rotation());
            }
            if (augmentation.prefetch() < 0 || augmentation.prefetch() > 64) {
                problems.add("dataset.augmentation.prefetch: must be in [0, 64] batches, got " + augmentation.prefetch());
            }
        }
        for (int i = 0; i < spec.dropColumns().size(); i++) {
            String column = spec.dropColumns().get(i);
            if (!info.featureNames().contains(column)) {
                problems.add("dataset.drop_columns[" + i + "]: no column '" + column + "' in " + info.name()
                        + (info.featureNames().isEmpty() ? " (it has no named columns)"
                        : ClosestName.hint(column, info.featureNames()) + "; columns are "
                        + info.featureNames().get(0) + ".." + info.featureNames().get(info.featureNames().size() - 1)));
            }
        }
        return info;
    }

    private ModelFactory model(ModelSpec spec, DatasetInfo data, List<String> problems) {
        if (spec == null || spec.family() == null) {
            problems.add("model.family: required; known: " + String.join(", ", models.families()));
            return null;
        }
        if (!models.families().contains(spec.family())) {
            problems.add("model.family: " + models.unknownFamily(spec.family()));
            return null;
        }
        if (spec.architecture() == null) {
            problems.add("model.architecture: required; known in " + spec.family() + ": "
                    + String.join(", ", models.architectures(spec.family())));
            return null;
        }
        Optional<ModelFactory> factory = models.find(spec.family(), spec.architecture());
        if (factory.isEmpty()) {
            problems.add("model.architecture: " + models.unknownArchitecture(spec.family(), spec.architecture()));
            return null;
        }
        List<String> hp = Hyperparameters.problems(factory.get().hyperparameters(), spec.hyperparameters());
        hp.forEach(p -> problems.add("model.hyperparameters." + p));
        if (hp.isEmpty() && data != null) {
            factory.get().incompatibility(data, Hyperparameters.resolve(factory.get().hyperparameters(), spec.hyperparameters()))
                    .ifPresent(p -> problems.add(p.startsWith("hyperparameters.") ? "model." + p
                            : "model.architecture: " + spec.architecture() + " " + p));
        }
        return factory.get();
    }

    /** A graph dataset needs a model that reads its edges, and such a model needs a graph. */
    private void graphPairing(DatasetSource data, ModelFactory factory, List<String> problems) {
        String name = data.info().name();
        if (data.isGraph() && !factory.takesGraph()) {
            List<String> graphModels = models.all().stream().filter(ModelFactory::takesGraph)
                    .map(f -> f.family() + "/" + f.architecture()).toList();
            problems.add("model.family: dataset.name " + name + " is a graph (its rows are nodes joined by edges), which "
                    + factory.family() + "/" + factory.architecture() + " cannot read; use one of " + String.join(", ", graphModels));
        } else if (!data.isGraph() && factory.takesGraph()) {
            List<String> graphs = datasets.all().stream().filter(DatasetSource::isGraph).map(d -> d.info().name()).toList();
            problems.add("dataset.name: model.family " + factory.family() + " classifies the nodes of a graph; " + name
                    + " is not one (a graph is a folder with nodes.csv and edges.csv); graph datasets: " + String.join(", ", graphs));
        }
    }

    private void training(TrainingSpec spec, List<String> objectiveMetrics, List<String> problems) {
        atLeast(problems, "training.epochs", spec.epochs(), 1);
        atLeast(problems, "training.checkpoint_every", spec.checkpointEvery(), 1);
        OptimizerSpec optimizer = spec.optimizer();
        oneOf(problems, "training.optimizer.type", optimizer.type(), BaseConfiguration.OPTIMIZERS);
        positive(problems, "training.optimizer.lr", optimizer.lr());
        if (optimizer.momentum() < 0 || optimizer.momentum() >= 1) {
            problems.add("training.optimizer.momentum: must be in [0, 1), got " + optimizer.momentum());
        }
        if (optimizer.weightDecay() < 0) {
            problems.add("training.optimizer.weight_decay: must be >= 0, got " + optimizer.weightDecay());
        }
        ScheduleSpec schedule = spec.schedule();
        oneOf(problems, "training.schedule.type", schedule.type(), BaseConfiguration.SCHEDULES);
        // Bounds taken from another field are checked only where that field is itself valid (said once, above).
        if (schedule.warmupEpochs() < 0 || spec.epochs() >= 1 && schedule.warmupEpochs() >= spec.epochs()) {
            problems.add("training.schedule.warmup_epochs: must be in [0, epochs), got " + schedule.warmupEpochs());
        }
        atLeast(problems, "training.schedule.step_epochs", schedule.stepEpochs(), 1);
        if (!(schedule.gamma() > 0 && schedule.gamma() <= 1)) {
            problems.add("training.schedule.gamma: must be in (0, 1], got " + schedule.gamma());
        }
        if (schedule.minLr() < 0 || optimizer.lr() > 0 && schedule.minLr() > optimizer.lr()) {
            problems.add("training.schedule.min_lr: must be in [0, training.optimizer.lr], got " + schedule.minLr());
        }
        EarlyStoppingSpec early = spec.earlyStopping();
        if (early != null) {
            if (objectiveMetrics != null) {
                oneOf(problems, "training.early_stopping.metric", early.metric(),
                        objectiveMetrics.stream().map(m -> "val_" + m).toList());
            }
            atLeast(problems, "training.early_stopping.patience", early.patience(), 1);
            if (early.minDelta() < 0) {
                problems.add("training.early_stopping.min_delta: must be >= 0, got " + early.minDelta());
            }
        }
        GradientClippingSpec clipping = spec.gradientClipping();
        if (clipping != null) {
            oneOf(problems, "training.gradient_clipping.type", clipping.type(), BaseConfiguration.CLIPPING);
            positive(problems, "training.gradient_clipping.threshold", clipping.threshold());
        }
    }

    private static void atLeast(List<String> problems, String field, int value, int min) {
        if (value < min) {
            problems.add(field + ": must be >= " + min + ", got " + value);
        }
    }

    private static void positive(List<String> problems, String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            problems.add(field + ": must be > 0, got " + value);
        }
    }

    private static void fraction(List<String> problems, String field, double value, boolean zeroAllowed) {
        if (!(zeroAllowed ? value >= 0 : value > 0) || value >= 0.9) {
            problems.add(field + ": must be in " + (zeroAllowed ? "[0" : "(0") + ", 0.9), got " + value);
        }
    }

    /** Adds a problem naming {@code field}, the closest allowed name and all of them, when {@code value} is not allowed. */
    public static void oneOf(List<String> problems, String field, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            problems.add(field + ": unknown '" + value + "'" + ClosestName.hint(value, allowed)
                    + "; allowed: " + String.join(", ", allowed));
        }
    }
}
