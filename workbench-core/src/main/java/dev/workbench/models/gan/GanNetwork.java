package dev.workbench.models.gan;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.FirstLayerInputGradient;
import dev.workbench.train.JobSchedule;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * A generator and a discriminator, each a DL4J network with its own Adam, trained as one {@link Network}: each
 * {@link #fit} is one discriminator update on the batch's real images and as many generated ones, and every
 * {@code discriminatorSteps}-th fit is followed by {@code generatorSteps} generator updates through the discriminator
 * (the first on the images the discriminator just judged, each further one on fresh noise). Neither network
 * has a DL4J output layer: the discriminator ends in a logit, and the loss and its gradient are computed here
 * ({@link BinaryLogits}), then backpropagated with DL4J's external-error API and applied by each network's own
 * updater, so the two optimizers never see each other's parameters.
 *
 * <p>Images arrive in [0, 1] (the dataset's {@code scale} normalisation) and are shown to the discriminator as
 * 2x - 1, the range of the generator's tanh. The training noise comes from ND4J's generator, which the trainer
 * reseeds every epoch, so a resumed run draws the same noise.
 *
 * <p>With {@link GanSettings#averaged()} ({@code g_ema}), a {@link GeneratorAverage} follows the generator after every
 * generator update and draws in its place wherever images are shown or given out ({@link #generate}, the sample
 * grids, the score, {@code workbench generate} and the ONNX export); the discriminator plays against the trained
 * generator.
 *
 * <p>Saved as the generator's DL4J zip (loadable by DL4J alone), with the discriminator's zip and the
 * {@link GanSettings} as two more entries, and the averaged generator's zip as a third when there is one.
 */
public final class GanNetwork implements Network {
    public static final String KIND = "GeneratorDiscriminator";
    static final String DISCRIMINATOR_ENTRY = "discriminator.zip";
    static final String SETTINGS_ENTRY = "workbench-gan.json";
    static final String AVERAGE_ENTRY = "generator-average.zip";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MultiLayerNetwork generator;
    private final MultiLayerNetwork discriminator;
    private final GanSettings settings;
    /** The moving average that draws in the generator's place, or null. */
    private final GeneratorAverage average;
    /** Skips the discriminator's input gradient on its own update, where only the generator's update reads it. */
    private final FirstLayerInputGradient discriminatorInput;
    /** What the step under way created outside workspaces, freed when {@link #fit} ends. */
    private final StepArrays stepArrays = new StepArrays();
    private Map<String, Double> lastScores = Map.of();
    private double lastScore;
    /** The shape of the generator's output in the last {@link #generateForTraining}, which its gradient takes. */
    private long[] generatedShape;

    /** A pair whose moving average (when the settings ask for one) starts at the generator as it is. */
    public GanNetwork(MultiLayerNetwork generator, MultiLayerNetwork discriminator, GanSettings settings) {
        this(generator, discriminator, settings,
                settings.averaged() ? GeneratorAverage.startingAt(generator, settings.averageDecay()) : null);
    }

    private GanNetwork(MultiLayerNetwork generator, MultiLayerNetwork discriminator, GanSettings settings,
                       GeneratorAverage average) {
        this.generator = withTrainingWorkspaces(generator);
        this.discriminator = withTrainingWorkspaces(discriminator);
        this.settings = settings;
        this.average = average;
        this.discriminatorInput = FirstLayerInputGradient.of(this.discriminator);
    }

    /**
     * DL4J's training workspaces for a network driven by external errors, as this class drives both: its
     * {@code feedForward} returns activations detached from any workspace (they outlive the pass, as the
     * discriminator's do between its passes and the generator's until its update) and runs each layer's working
     * memory in a workspace, and its {@code backpropGradient} keeps the activation gradients and working memory of
     * backprop in workspaces that every step reuses, returning the input gradient detached. Without them every
     * array of a step is a fresh native buffer, freed only when the garbage collector finds its Java object; until
     * the next young GC each step then takes new pages from the kernel, at a third of its speed (the W7 slow mode,
     * benchmarks/PERFORMANCE.md). Pairs saved before this was set load with no workspaces, hence here.
     */
    private static MultiLayerNetwork withTrainingWorkspaces(MultiLayerNetwork net) {
        net.getLayerWiseConfigurations().setTrainingWorkspaceMode(WorkspaceMode.ENABLED);
        return net;
    }

    /** The generator under training. */
    public MultiLayerNetwork generator() {
        return generator;
    }

    /** The generator that draws what the pair shows and gives out: the moving average with g_ema, else the trained one. */
    public MultiLayerNetwork drawingGenerator() {
        return average != null ? average.network() : generator;
    }

    public MultiLayerNetwork discriminator() {
        return discriminator;
    }

    public GanSettings settings() {
        return settings;
    }

    @Override
    public void fit(DataSet batch) {
        try {
            INDArray labels = settings.conditional() ? batch.getLabels().castTo(DataType.FLOAT) : null;
            if (labels != batch.getLabels()) {
                stepArrays.add(labels);
            }
            INDArray fake = generateForTraining(batch.numExamples(), labels);
            Map<String, Double> scores = new LinkedHashMap<>(discriminatorStep(batch.getFeatures(), fake, labels));
            double loss = scores.get("d_loss");
            if (discriminator.getIterationCount() % settings.discriminatorSteps() == 0) {
                double generatorLoss = generatorStep(fake, labels);
                for (int step = 1; step < settings.generatorSteps(); step++) {
                    generatorLoss += generatorStep(generateForTraining(batch.numExamples(), labels), labels);
                }
                generatorLoss /= settings.generatorSteps();
                scores.put("g_loss", generatorLoss);
                loss += generatorLoss;
            }
            lastScores = scores;
            lastScore = loss;
        } finally {
            // The layers still refer to these as their last inputs; the next pass replaces them before any read.
            stepArrays.close();
        }
    }

    /**
     * Generated images from fresh noise, by the generator in training mode (batch statistics); its layers keep their
     * inputs for {@link #generatorStep} on these images.
     */
    INDArray generateForTraining(int n, INDArray labels) {
        INDArray noise = stepArrays.add(Nd4j.randn(DataType.FLOAT, n, settings.latent()));
        INDArray generated = forward(generator, withLabels(noise, labels));
        generatedShape = generated.shape();
        return flat(generated);
    }

    /** Images as rows, flattened channel, row, column: a convolutional generator's maps, as DL4J flattens them. */
    private INDArray flat(INDArray images) {
        return images.rank() == 2 ? images : images.reshape('c', images.size(0), settings.imageSize());
    }

    /**
     * One discriminator update: real images ([0, 1]) and generated ones as separate batches, each with its own batch
     * statistics, the two gradients summed into one step. Returns d_loss, d_real and d_fake.
     */
    Map<String, Double> discriminatorStep(INDArray images, INDArray fake, INDArray labels) {
        INDArray shown = stepArrays.add(images.mul(2).subi(1));
        BinaryLogits onReal = new BinaryLogits(forward(discriminator, withLabels(shown, labels)));
        double realTarget = 1 - settings.labelSmoothing();
        INDArray realGradient = stepArrays.add(discriminatorGradient(onReal.crossEntropyGradient(realTarget))
                .gradient().dup());
        BinaryLogits onFake = new BinaryLogits(forward(discriminator, withLabels(fake, labels)));
        Gradient gradient = discriminatorGradient(onFake.crossEntropyGradient(0));
        gradient.gradient().addi(realGradient);
        step(discriminator, gradient, (int) images.rows());
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("d_loss", onReal.crossEntropy(realTarget) + onFake.crossEntropy(0));
        scores.put("d_real", onReal.meanProbability());
        scores.put("d_fake", onFake.meanProbability());
        return scores;
    }

    /**
     * The discriminator's parameter gradients for its own update, from the gradient of its logits. Nothing reads its
     * input gradient there (PyTorch's twin computes none: the real images need no gradient, the generated ones are
     * detached), so its first layer skips it where it can.
     */
    private Gradient discriminatorGradient(INDArray logitGradient) {
        return discriminatorInput.skipWhile(() -> backprop(discriminator, logitGradient)).getFirst();
    }

    /**
     * The generator's update: the updated discriminator judges the same generated images, and the gradient of the
     * generator's loss reaches the generator through the discriminator's input. The discriminator's own
     * parameter gradients from this pass are discarded.
     */
    double generatorStep(INDArray fake, INDArray labels) {
        int n = (int) fake.rows();
        BinaryLogits judged = new BinaryLogits(forward(discriminator, withLabels(fake, labels)));
        INDArray logitGradient = settings.nonSaturating() ? judged.crossEntropyGradient(1)
                : judged.logOneMinusProbabilityGradient();
        INDArray inputGradient = backprop(discriminator, logitGradient).getSecond();
        INDArray imageGradient = settings.conditional()
                ? stepArrays.add(inputGradient.get(NDArrayIndex.all(), NDArrayIndex.interval(0, settings.imageSize())).dup())
                : inputGradient;
        // The discriminator saw 2x - 1 of the generator's tanh output, which is the image itself: no rescaling.
        // Back to the generator's own output shape (a convolutional generator's maps).
        imageGradient = imageGradient.reshape('c', generatedShape);
        Gradient generatorGradient = backprop(generator, imageGradient).getFirst();
        step(generator, generatorGradient, n);
        if (average != null) {
            average.update(generator);
        }
        return settings.nonSaturating() ? judged.crossEntropy(1) : judged.meanLogOneMinusProbability();
    }

    /**
     * A network's output in training mode, its layers keeping their inputs for a backward pass; the input and
     * every activation belong to the step.
     */
    private INDArray forward(MultiLayerNetwork net, INDArray input) {
        net.setInput(input);
        List<INDArray> activations = net.feedForward(true, false);
        stepArrays.addAll(activations);
        return activations.get(net.getnLayers());
    }

    /**
     * The network's backward pass from the gradient of its output: its parameter gradients and the gradient of its
     * input, which DL4J returns detached; both that and {@code outputGradient} belong to the step, even where the
     * caller reads only the parameter gradients.
     */
    private Pair<Gradient, INDArray> backprop(MultiLayerNetwork net, INDArray outputGradient) {
        stepArrays.add(outputGradient);
        Pair<Gradient, INDArray> gradients = net.backpropGradient(outputGradient, LayerWorkspaceMgr.noWorkspaces());
        stepArrays.add(gradients.getSecond());
        return gradients;
    }

    /** One optimizer step, as DL4J's own fit takes it: the updater turns the gradient into the update in place. */
    private static void step(MultiLayerNetwork net, Gradient gradient, int batchSize) {
        net.getUpdater().update(net, gradient, net.getIterationCount(), net.getEpochCount(), batchSize,
                LayerWorkspaceMgr.noWorkspaces());
        net.params().subi(gradient.gradient());
        net.setIterationCount(net.getIterationCount() + 1);
    }

    private INDArray withLabels(INDArray inputs, INDArray labels) {
        return labels == null ? inputs : stepArrays.add(Nd4j.hstack(inputs, labels));
    }

    /**
     * Images in [0, 1] from noise {@code z} (rows of {@link GanSettings#latent}), in inference mode; {@code labels}
     * holds each row's class for a conditional generator and is ignored otherwise.
     */
    public INDArray generate(INDArray z, int[] labels) {
        return generate(drawingGenerator(), z, labels);
    }

    /** As {@link #generate}, by the generator under training: what the discriminator is playing against. */
    INDArray generateByTrainedGenerator(INDArray z, int[] labels) {
        return generate(generator, z, labels);
    }

    private INDArray generate(MultiLayerNetwork drawing, INDArray z, int[] labels) {
        INDArray input = z;
        if (settings.conditional()) {
            if (labels == null || labels.length != z.rows()) {
                throw new IllegalArgumentException("a conditional generator needs one class per noise row");
            }
            input = Nd4j.hstack(z, LatentNoise.oneHot(labels, settings.classes()));
        }
        return flat(drawing.output(input, false)).addi(1).divi(2);
    }

    /**
     * The discriminator's logits for images in [0, 1] (with their one-hot labels for a conditional pair), judged as
     * training judges them: batch norm normalises the batch by its own statistics. Its running statistics are no
     * use here: each step moves them towards a real batch's and a generated batch's statistics alike, so they fit
     * neither kind, and held-out digits judged by them get another D(x) than training gives the same digits. A
     * training-mode pass changes no parameter and no statistic: DL4J updates those in backprop only.
     */
    INDArray judge(INDArray images, INDArray labels) {
        INDArray input = images.mul(2).subi(1);
        return discriminator.output(settings.conditional() ? Nd4j.hstack(input, labels.castTo(DataType.FLOAT)) : input,
                true);
    }

    @Override
    public double score() {
        return lastScore;
    }

    @Override
    public Map<String, Double> scores() {
        return lastScores;
    }

    /** A GAN has no prediction for an input: it generates ({@code workbench generate}). */
    @Override
    public INDArray output(INDArray features) {
        throw new UnsupportedOperationException("a GAN generates images instead of predicting: use workbench generate");
    }

    @Override
    public int epochCount() {
        return generator.getEpochCount();
    }

    @Override
    public void incrementEpochCount() {
        generator.incrementEpochCount();
        discriminator.incrementEpochCount();
    }

    @Override
    public void save(Path file) throws IOException {
        ModelSerializer.writeModel(generator, file.toFile(), true);
        ByteArrayOutputStream judge = new ByteArrayOutputStream();
        ModelSerializer.writeModel(discriminator, judge, true);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + file.toUri()), Map.of())) {
            Files.write(zip.getPath(DISCRIMINATOR_ENTRY), judge.toByteArray());
            Files.write(zip.getPath(SETTINGS_ENTRY), JSON.writeValueAsBytes(settings));
            if (average != null) {
                ByteArrayOutputStream averaged = new ByteArrayOutputStream();
                ModelSerializer.writeModel(average.network(), averaged, false);
                Files.write(zip.getPath(AVERAGE_ENTRY), averaged.toByteArray());
            }
        }
    }

    /** Reads a pair {@link #save} wrote, with both updaters' state. */
    public static GanNetwork load(Path file) throws IOException {
        MultiLayerNetwork generator = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            MultiLayerNetwork discriminator;
            try (InputStream in = zip.getInputStream(entry(zip, file, DISCRIMINATOR_ENTRY))) {
                discriminator = ModelSerializer.restoreMultiLayerNetwork(in, true);
            }
            GanSettings settings;
            try (InputStream in = zip.getInputStream(entry(zip, file, SETTINGS_ENTRY))) {
                settings = JSON.readValue(in, GanSettings.class);
            }
            if (!settings.averaged()) {
                return new GanNetwork(generator, discriminator, settings, null);
            }
            try (InputStream in = zip.getInputStream(entry(zip, file, AVERAGE_ENTRY))) {
                return new GanNetwork(generator, discriminator, settings,
                        new GeneratorAverage(ModelSerializer.restoreMultiLayerNetwork(in, false), settings.averageDecay()));
            }
        }
    }

    private static ZipEntry entry(ZipFile zip, Path file, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new IOException(file + ": holds no " + name + "; not a generator and discriminator pair");
        }
        return entry;
    }

    @Override
    public long parameterCount() {
        return generator.numParams() + discriminator.numParams();
    }

    /** The generator's current rate (both networks follow the same schedule). */
    @Override
    public double learningRate() {
        return new SequentialNetwork(generator).learningRate();
    }

    /** The generator: what the family produces, and what ONNX export writes ({@link GanObjective#exportedModel}). */
    @Override
    public Model model() {
        return generator;
    }

    @Override
    public Network rebuilt(Model model) {
        throw new UnsupportedOperationException("a generator and discriminator pair is rebuilt network by network: "
                + "rebuiltEach");
    }

    /** The generator (and its average) on its own count of updates: {@link GanSettings#generatorConfiguration}. */
    @Override
    public Network followingSchedule(BaseConfiguration base) {
        ISchedule generatorCurve = settings.generatorConfiguration(base).learningRate();
        JobSchedule.install(generator, generatorCurve);
        JobSchedule.install(discriminator, base.learningRate());
        if (average != null) {
            JobSchedule.install(average.network(), generatorCurve);
        }
        return this;
    }

    /** Both networks; the generator learns through the discriminator's input gradient, so that one is kept. */
    @Override
    public Network rebuiltEach(ModelRewrite rewrite) {
        return new GanNetwork((MultiLayerNetwork) rewrite.apply(generator, false),
                (MultiLayerNetwork) rewrite.apply(discriminator, true), settings,
                average == null ? null : average.rebuilt(rewrite));
    }

    @Override
    public String kind() {
        return KIND;
    }
}
