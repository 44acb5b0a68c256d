package dev.workbench.models.gan;

import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetInfo;
import dev.workbench.data.Rows;
import dev.workbench.train.EpochMetrics;
import dev.workbench.train.Evaluator;
import dev.workbench.train.ExportedModel;
import dev.workbench.train.ModelManifest;
import dev.workbench.train.Network;
import dev.workbench.train.TrainingObjective;
import dev.workbench.train.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adversarial training of a generator against a discriminator ({@link GanNetwork}) on a dataset's images. A split is
 * scored by the discriminator on its real images and on as many generated from fixed noise by the generator under
 * training (what the discriminator plays against, also with a moving average): {@code d_loss},
 * {@code g_loss}, {@code d_real} (mean D(x)), {@code d_fake} (mean D(G(z))) and {@code loss}, their sum. After
 * every epoch a sample grid from one fixed noise batch goes to {@code plots/samples-epoch-NNN.png}, and a warning
 * when the discriminator has won outright for {@value #WINNING_EPOCHS} epochs.
 *
 * <p>With a reference classifier ({@code reference_run}), every split's scores add {@code inception_score} and
 * {@code frechet_distance} ({@link GanScore}) of the images {@link GanNetwork#generate} draws against the dataset's
 * real test images; without one, the first epoch says once how to get them.
 */
final class GanObjective implements TrainingObjective {
    /** Noise seed of the sample grids and validation scores: the same z in every epoch and every run. */
    static final long FIXED_NOISE_SEED = 12345;
    static final int WINNING_EPOCHS = 3;
    private static final int COLUMNS = 8;
    private static final int BATCH = 512;
    static final String NO_SCORE = "no inception_score or frechet_distance: set model.hyperparameters.reference_run "
            + "to the run folder of a trained reference classifier (train examples/jobs/mnist-reference-classifier.yaml)";

    private final ReferenceClassifier reference;
    private final int scoreSamples;
    private GanScore score;

    /** Without a score. */
    GanObjective() {
        this(null, 0);
    }

    /** @param reference the classifier that scores generated images, or null for no score */
    GanObjective(ReferenceClassifier reference, int scoreSamples) {
        this.reference = reference;
        this.scoreSamples = scoreSamples;
    }

    @Override
    public String name() {
        return "adversarial";
    }

    /** The dataset's images as they are: checked to be in [0, 1], the range the networks map to tanh's. */
    @Override
    public DataSplits prepare(DataSplits labelled) {
        DatasetInfo info = labelled.info();
        if (!info.input().isImage()) {
            throw new IllegalArgumentException("dataset " + info.name() + ": a GAN generates images; this dataset is "
                    + info.input());
        }
        double min = labelled.train().getFeatures().minNumber().doubleValue();
        double max = labelled.train().getFeatures().maxNumber().doubleValue();
        if (min < 0 || max > 1) {
            throw new IllegalArgumentException("dataset.normalization: a GAN trains on pixels in [0, 1] (use scale); "
                    + "the training images range over [" + min + ", " + max + "]");
        }
        if (reference != null) {
            score = new GanScore(reference, scoreSamples, labelled.test().getFeatures());
        }
        return labelled;
    }

    @Override
    public List<String> metricNames() {
        List<String> names = new ArrayList<>(List.of("loss", "d_loss", "g_loss", "d_real", "d_fake"));
        if (reference != null) {
            names.addAll(List.of("inception_score", "frechet_distance"));
        }
        return names;
    }

    @Override
    public Evaluator.Scores evaluate(Network network, DataSet split, DatasetInfo info) {
        GanNetwork gan = (GanNetwork) network;
        GanSettings settings = gan.settings();
        int n = split.numExamples();
        double realLoss = 0;
        double fakeLoss = 0;
        double generatorLoss = 0;
        double realMean = 0;
        double fakeMean = 0;
        INDArray noise = LatentNoise.of(n, settings.latent(), FIXED_NOISE_SEED);
        int[] classes = settings.conditional() ? Nd4j.argMax(split.getLabels(), 1).toIntVector() : null;
        for (int start = 0; start < n; start += BATCH) {
            int end = Math.min(n, start + BATCH);
            INDArray labels = settings.conditional() ? Rows.range(split.getLabels(), start, end) : null;
            BinaryLogits real = new BinaryLogits(gan.judge(Rows.range(split.getFeatures(), start, end), labels));
            int[] rowClasses = classes == null ? null : java.util.Arrays.copyOfRange(classes, start, end);
            INDArray generated = gan.generateByTrainedGenerator(Rows.range(noise, start, end), rowClasses);
            BinaryLogits fake = new BinaryLogits(gan.judge(generated, labels));
            double weight = end - start;
            realLoss += real.crossEntropy(1) * weight;
            fakeLoss += fake.crossEntropy(0) * weight;
            generatorLoss += (settings.nonSaturating() ? fake.crossEntropy(1) : fake.meanLogOneMinusProbability()) * weight;
            realMean += real.meanProbability() * weight;
            fakeMean += fake.meanProbability() * weight;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", (realLoss + fakeLoss + generatorLoss) / n);
        metrics.put("d_loss", (realLoss + fakeLoss) / n);
        metrics.put("g_loss", generatorLoss / n);
        metrics.put("d_real", realMean / n);
        metrics.put("d_fake", fakeMean / n);
        if (score != null) {
            metrics.putAll(score.of(gan));
        }
        return new Evaluator.Scores(metrics, null);
    }

    @Override
    public void epochEnded(Network network, TrainingState state, Path plots, Consumer<String> warnings)
            throws IOException {
        if (reference == null && state.completedEpochs() == 1) {
            warnings.accept(NO_SCORE);
        }
        SampleGrid.writeEpochGrid((GanNetwork) network, FIXED_NOISE_SEED, COLUMNS,
                plots.resolve(String.format("samples-epoch-%03d.png", state.completedEpochs())));
        List<EpochMetrics> history = state.history();
        if (history.size() >= WINNING_EPOCHS && history.subList(history.size() - WINNING_EPOCHS, history.size())
                .stream().allMatch(GanObjective::discriminatorWins)) {
            EpochMetrics last = history.get(history.size() - 1);
            warnings.accept(String.format("epoch %d: the discriminator has won outright for %d epochs (mean D(x) "
                            + "%.3f, mean D(G(z)) %.3f): the generator learns little from it; try label_smoothing 0.1, "
                            + "a lower learning rate or a smaller discriminator", last.epoch(), WINNING_EPOCHS,
                    last.values().get("train_d_real"), last.values().get("train_d_fake")));
        }
    }

    /** D(G(z)) below 0.05 while D(x) is above 0.95, over the epoch's training batches. */
    private static boolean discriminatorWins(EpochMetrics epoch) {
        Double real = epoch.values().get("train_d_real");
        Double fake = epoch.values().get("train_d_fake");
        return real != null && fake != null && real > 0.95 && fake < 0.05;
    }

    /** The first, middle and last epochs' sample grids. */
    @Override
    public List<Path> plots(Network model, DataSplits prepared, int[] testClasses, Path folder) throws IOException {
        List<Path> grids;
        try (Stream<Path> files = Files.list(folder)) {
            grids = files.filter(f -> f.getFileName().toString().matches("samples-epoch-\\d+\\.png")).sorted().toList();
        }
        if (grids.isEmpty()) {
            return List.of();
        }
        List<Path> shown = new ArrayList<>();
        for (Path grid : List.of(grids.get(0), grids.get(grids.size() / 2), grids.get(grids.size() - 1))) {
            if (!shown.contains(grid)) {
                shown.add(grid);
            }
        }
        return shown;
    }

    @Override
    public Network load(Path file, ModelManifest manifest) throws IOException {
        if (!GanNetwork.KIND.equals(manifest.kind())) {
            throw new IOException(file + ": a GAN is a " + GanNetwork.KIND + " pair, this file holds a " + manifest.kind());
        }
        return GanNetwork.load(file);
    }

    /**
     * The generator that draws (the moving average with g_ema), fed noise ({@code noise}, and {@code label} one-hot for a conditional pair) and giving pixels in
     * [0, 1] as {@code workbench generate} writes them; parity on {@code samples} rows of the fixed noise, the
     * classes in turn.
     */
    @Override
    public Optional<ExportedModel> exportedModel(Network network, int samples) {
        GanNetwork gan = (GanNetwork) network;
        GanSettings settings = gan.settings();
        INDArray noise = LatentNoise.of(samples, settings.latent(), FIXED_NOISE_SEED);
        List<ExportedModel.Input> inputs = new ArrayList<>(List.of(
                new ExportedModel.Input("noise", settings.latent(), "z ~ N(0, I)")));
        List<INDArray> parityInputs = new ArrayList<>(List.of(noise));
        int[] classes = null;
        if (settings.conditional()) {
            classes = java.util.stream.IntStream.range(0, samples).map(i -> i % settings.classes()).toArray();
            inputs.add(new ExportedModel.Input("label", settings.classes(),
                    "the one-hot class to generate, in workbench.labels order"));
            parityInputs.add(LatentNoise.oneHot(classes, settings.classes()));
        }
        ExportedModel.Output pixels = new ExportedModel.Output(1, 0.5, String.format(
                "generated images, pixels in [0, 1], %d x %d x %d flattened channel, row, column",
                settings.channels(), settings.height(), settings.width()));
        return Optional.of(new ExportedModel(gan.drawingGenerator(), inputs, parityInputs, gan.generate(noise, classes), pixels));
    }
}
