package dev.workbench.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.cpu.CpuTraining;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.EpochMetrics;
import dev.workbench.train.FirstLayerInputGradient;
import dev.workbench.train.ModelArchive;
import dev.workbench.train.TrainingState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The GAN family on real digits: shapes, what each adversarial update changes, save and load, health warnings. */
class GanTest {
    private static final DataSplits MNIST = DatasetRegistry.builtIn().get("mnist-10k").load(
            new DatasetSpec("mnist-10k", 64, new SplitSpec(0.1, 0.2), "scale", List.of()), 1, DataLocations.fromEnvironment());

    static GanNetwork build(String architecture, Map<String, Object> hp) {
        ModelFactory factory = ModelRegistry.builtIn().get("gan", architecture);
        return (GanNetwork) factory.build(new ModelContext(MNIST.info(),
                Hyperparameters.resolve(factory.hyperparameters(), hp),
                new BaseConfiguration(3, new TrainingSpec(2, null, null, null, null, null), 10)));
    }

    private static final Map<String, Object> SMALL_DENSE = Map.of("generator", List.of(32), "discriminator", List.of(32),
            "latent", 8);

    @Test
    void everyArchitectureGeneratesImagesInTheUnitRangeAndJudgesThemWithOneLogit() {
        for (String architecture : List.of("dense", "dcgan", "conditional")) {
            Map<String, Object> hp = architecture.equals("dcgan") ? Map.of("filters", 4, "latent", 8) : SMALL_DENSE;
            GanNetwork gan = build(architecture, hp);
            int[] classes = {0, 1, 2, 3, 4};
            INDArray images = gan.generate(LatentNoise.of(5, 8, 1), classes);
            assertArrayEquals(new long[]{5, 784}, images.shape(), architecture);
            assertTrue(images.minNumber().doubleValue() >= 0 && images.maxNumber().doubleValue() <= 1, architecture);
            INDArray labels = LatentNoise.oneHot(classes, 10);
            assertArrayEquals(new long[]{5, 1}, gan.judge(images, labels).shape(), architecture);
        }
    }

    @Test
    void quarterConvsAddSizeKeepingConvolutionsOnTheQuarterMapOfBothNetworks() {
        GanNetwork plain = build("dcgan", Map.of("filters", 4, "latent", 8));
        GanNetwork deeper = build("dcgan", Map.of("filters", 4, "latent", 8, "quarter_convs", 2));
        for (boolean generator : new boolean[]{true, false}) {
            var before = generator ? plain.generator() : plain.discriminator();
            var after = generator ? deeper.generator() : deeper.discriminator();
            assertEquals(before.getnLayers() + 6, after.getnLayers(), "convolution, batch norm, activation twice");
            assertEquals(before.numParams() + 2 * (8 * 8 * 9 + 8 + 4 * 8), after.numParams(),
                    "two 3x3 convolutions from 8 to 8 channels with their batch norms");
        }
        INDArray images = deeper.generate(LatentNoise.of(5, 8, 1), null);
        assertArrayEquals(new long[]{5, 784}, images.shape());
        assertArrayEquals(new long[]{5, 1}, deeper.judge(images, null).shape());
        DataSet batch = TestWorkbench.firstRows(MNIST.train(), 16);
        INDArray generatorBefore = deeper.generator().params().dup();
        INDArray discriminatorBefore = deeper.discriminator().params().dup();
        deeper.fit(batch);
        assertNotEquals(generatorBefore, deeper.generator().params());
        assertNotEquals(discriminatorBefore, deeper.discriminator().params());
    }

    @Test
    void theDiscriminatorUpdateChangesOnlyTheDiscriminatorAndTheGeneratorUpdateOnlyTheGenerator() {
        for (String architecture : List.of("dense", "dcgan", "conditional")) {
            Map<String, Object> hp = architecture.equals("dcgan") ? Map.of("filters", 4, "latent", 8) : SMALL_DENSE;
            GanNetwork gan = build(architecture, hp);
            DataSet batch = TestWorkbench.firstRows(MNIST.train(), 32);
            INDArray labels = gan.settings().conditional() ? batch.getLabels() : null;
            INDArray fake = gan.generateForTraining(32, labels);

            INDArray generator = gan.generator().params().dup();
            INDArray discriminator = gan.discriminator().params().dup();
            Map<String, Double> scores = gan.discriminatorStep(batch.getFeatures(), fake, labels);
            assertEquals(generator, gan.generator().params(), architecture + ": the D update leaves G alone");
            assertNotEquals(discriminator, gan.discriminator().params(), architecture + ": the D update moves D");
            assertTrue(scores.get("d_loss") > 0 && scores.get("d_real") > 0 && scores.get("d_fake") < 1, scores.toString());

            discriminator = gan.discriminator().params().dup();
            INDArray discriminatorState = gan.discriminator().getUpdater().getStateViewArray().dup();
            gan.generatorStep(fake, labels);
            assertEquals(discriminator, gan.discriminator().params(), architecture + ": the G update leaves D alone");
            assertEquals(discriminatorState, gan.discriminator().getUpdater().getStateViewArray(),
                    architecture + ": and D's Adam state");
            assertNotEquals(generator, gan.generator().params(), architecture + ": the G update moves G");
        }
    }

    @Test
    void onTheFastLayersTheDiscriminatorsFirstLayerCanSkipItsInputGradientAndOnDl4jsItCannot() {
        // GanNetwork skips it on the discriminator's own update, where nothing reads it (CachedConvolutionTest and
        // CachedDenseTest: the parameter gradients are the same bits).
        for (String architecture : List.of("dense", "dcgan", "conditional")) {
            Map<String, Object> hp = architecture.equals("dcgan") ? Map.of("filters", 4, "latent", 8) : SMALL_DENSE;
            GanNetwork plain = build(architecture, hp);
            assertFalse(FirstLayerInputGradient.of(plain.discriminator()).skips(), architecture);
            GanNetwork fast = (GanNetwork) CpuTraining.forTraining(plain);
            assertTrue(FirstLayerInputGradient.of(fast.discriminator()).skips(), architecture);
            assertFalse(FirstLayerInputGradient.of(fast.generator()).skips(), architecture + ": its input is noise");
        }
    }

    @Test
    void validationJudgesRealImagesAsTheDiscriminatorStepDoesAndLeavesItsBatchNormStatisticsAlone() {
        // The DCGAN's discriminator has batch norm, whose running statistics mix real and generated batches (each
        // step normalises both kinds apart): judged with them, held-out digits get another D(x) than in training.
        for (boolean fast : List.of(false, true)) {
            GanNetwork gan = build("dcgan", Map.of("filters", 4, "latent", 8));
            if (fast) {
                gan = (GanNetwork) CpuTraining.forTraining(gan);
            }
            Nd4j.getRandom().setSeed(11);
            for (int i = 0; i < 5; i++) {
                gan.fit(TestWorkbench.firstRows(MNIST.train(), 32));
            }
            DataSet batch = TestWorkbench.firstRows(MNIST.validation(), 32);
            INDArray discriminator = gan.discriminator().params().dup();
            double judged = new BinaryLogits(gan.judge(batch.getFeatures(), null)).meanProbability();
            assertEquals(discriminator, gan.discriminator().params(), "judging changes no parameter or statistic");

            double trained = gan.discriminatorStep(batch.getFeatures(), gan.generateForTraining(32, null), null)
                    .get("d_real");
            assertEquals(trained, judged, 1e-5, "fast layers " + fast);
        }
    }

    @Test
    void theGeneratorStepsOnceEveryDStepsBatches() {
        GanNetwork gan = build("dense", Map.of("generator", List.of(16), "discriminator", List.of(16), "latent", 4,
                "d_steps", 2));
        DataSet batch = TestWorkbench.firstRows(MNIST.train(), 16);
        INDArray generator = gan.generator().params().dup();
        gan.fit(batch);
        assertEquals(generator, gan.generator().params());
        assertEquals(List.of("d_loss", "d_real", "d_fake"), List.copyOf(gan.scores().keySet()));
        gan.fit(batch);
        assertNotEquals(generator, gan.generator().params());
        assertTrue(gan.scores().containsKey("g_loss"));
        assertEquals(2, gan.discriminator().getIterationCount());
        assertEquals(1, gan.generator().getIterationCount());
    }

    @Test
    void gStepsUpdatesTheGeneratorThatManyTimesPerDiscriminatorUpdate() {
        Map<String, Object> small = Map.of("generator", List.of(16), "discriminator", List.of(16), "latent", 4);
        Map<String, Object> twice = new java.util.HashMap<>(small);
        twice.put("g_steps", 2);
        DataSet batch = TestWorkbench.firstRows(MNIST.train(), 16);
        GanNetwork once = build("dense", small);
        GanNetwork doubled = build("dense", twice);
        assertEquals(once.generator().params(), doubled.generator().params(), "the same seed builds the same pair");
        Nd4j.getRandom().setSeed(3);
        once.fit(batch);
        Nd4j.getRandom().setSeed(3);
        doubled.fit(batch);
        assertEquals(1, doubled.discriminator().getIterationCount());
        assertEquals(2, doubled.generator().getIterationCount());
        assertEquals(once.discriminator().params(), doubled.discriminator().params(),
                "the discriminator's one update comes before any generator update");
        assertNotEquals(once.generator().params(), doubled.generator().params(), "a second generator update moved it");
        assertEquals(2, doubled.settings().generatorSteps());
    }

    @Test
    void generatorLearnsToFoolAFixedDiscriminator() {
        // Only G updates: its loss -log D(G(z)) against the untouched D must fall, which it can only do through D's
        // input gradient reaching G.
        GanNetwork gan = build("dense", SMALL_DENSE);
        Nd4j.getRandom().setSeed(7);
        INDArray fake = gan.generateForTraining(64, null);
        double first = gan.generatorStep(fake, null);
        double last = first;
        for (int i = 0; i < 30; i++) {
            Nd4j.getRandom().setSeed(7);
            last = gan.generatorStep(gan.generateForTraining(64, null), null);
        }
        assertTrue(last < 0.8 * first, "generator loss " + first + " -> " + last);
    }

    @Test
    void savedPairLoadsWithBothNetworksAndBothOptimizers(@TempDir Path dir) throws Exception {
        for (String architecture : List.of("dcgan", "conditional")) {
            Map<String, Object> hp = architecture.equals("dcgan") ? Map.of("filters", 4, "latent", 8) : SMALL_DENSE;
            GanNetwork gan = build(architecture, hp);
            gan.fit(TestWorkbench.firstRows(MNIST.train(), 32));
            ModelArchive archive = ModelRegistry.builtIn().get("gan", architecture).archive(MNIST.info());
            Path file = dir.resolve(architecture + ".zip");
            archive.save(gan, file);
            GanNetwork loaded = (GanNetwork) archive.load(file);
            assertEquals(gan.settings(), loaded.settings());
            assertEquals(gan.generator().params(), loaded.generator().params());
            assertEquals(gan.discriminator().params(), loaded.discriminator().params());
            assertEquals(gan.generator().getUpdater().getStateViewArray(), loaded.generator().getUpdater().getStateViewArray());
            assertEquals(gan.discriminator().getUpdater().getStateViewArray(),
                    loaded.discriminator().getUpdater().getStateViewArray());
            int[] classes = {3, 7};
            assertEquals(gan.generate(LatentNoise.of(2, 8, 5), classes), loaded.generate(LatentNoise.of(2, 8, 5), classes));
            assertEquals(GanNetwork.KIND, ModelArchive.manifest(file).kind());
        }
    }

    @Test
    void withGEmaAnAverageFollowsEveryGeneratorUpdateDrawsTheImagesAndIsSavedWithThePair(@TempDir Path dir)
            throws Exception {
        Map<String, Object> hp = new java.util.HashMap<>(SMALL_DENSE);
        hp.put("g_ema", 0.75);
        GanNetwork gan = build("dense", hp);
        DataSet batch = TestWorkbench.firstRows(MNIST.train(), 32);
        INDArray expected = gan.generator().params().dup();
        INDArray fake = gan.generateForTraining(32, null);
        gan.discriminatorStep(batch.getFeatures(), fake, null);
        assertEquals(expected, gan.drawingGenerator().params(), "a discriminator update leaves the average alone");
        for (int step = 0; step < 2; step++) {
            gan.generatorStep(step == 0 ? fake : gan.generateForTraining(32, null), null);
            expected = expected.mul(0.75).addi(gan.generator().params().mul(0.25));
            assertEquals(0, expected.sub(gan.drawingGenerator().params()).amaxNumber().doubleValue(), 1e-6);
        }
        INDArray z = LatentNoise.of(4, 8, 2);
        INDArray drawn = gan.generate(z, null);
        assertEquals(gan.drawingGenerator().output(z, false).addi(1).divi(2), drawn);
        assertNotEquals(gan.generateByTrainedGenerator(z, null), drawn, "the average draws, not the trained generator");

        ModelArchive archive = ModelRegistry.builtIn().get("gan", "dense").archive(MNIST.info());
        Path file = dir.resolve("averaged.zip");
        archive.save(gan, file);
        GanNetwork loaded = (GanNetwork) archive.load(file);
        assertEquals(0.75, loaded.settings().averageDecay());
        assertEquals(gan.drawingGenerator().params(), loaded.drawingGenerator().params());
        assertEquals(gan.generator().params(), loaded.generator().params());
        assertEquals(drawn, loaded.generate(z, null));

        GanNetwork plain = build("dense", SMALL_DENSE);
        assertTrue(plain.drawingGenerator() == plain.generator(), "without g_ema the trained generator draws");
        // A pair saved before the option existed has no g_ema in its settings: no average.
        GanSettings old = new com.fasterxml.jackson.databind.ObjectMapper().readValue("""
                {"latent": 8, "classes": 0, "discriminator_steps": 1, "generator_steps": 1, "label_smoothing": 0.0,
                 "non_saturating": true, "channels": 1, "height": 28, "width": 28}""", GanSettings.class);
        assertTrue(!old.averaged() && old.averageDecay() == 0, old.toString());
    }

    @Test
    void aDiscriminatorThatWinsForThreeEpochsRaisesAWarningNamingIt(@TempDir Path dir) throws Exception {
        GanNetwork gan = build("dense", SMALL_DENSE);
        GanObjective objective = new GanObjective();
        List<EpochMetrics> history = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        double[][] realFake = {{0.99, 0.01}, {0.97, 0.02}, {0.96, 0.04}, {0.99, 0.01}};
        for (int epoch = 1; epoch <= 4; epoch++) {
            history.add(new EpochMetrics(epoch, Map.of("train_d_real", realFake[epoch - 1][0],
                    "train_d_fake", realFake[epoch - 1][1])));
            objective.epochEnded(gan, new TrainingState(epoch, null, 0, 0, null, history, 0), dir, warnings::add);
            if (epoch == 1) {
                history.set(0, new EpochMetrics(1, Map.of("train_d_real", 0.8, "train_d_fake", 0.3)));
            }
        }
        // Without a reference classifier the first epoch also says, once, how to get the score.
        assertEquals(2, warnings.size(), warnings.toString());
        assertEquals(GanObjective.NO_SCORE, warnings.get(0));
        assertTrue(warnings.get(1).startsWith("epoch 4: the discriminator has won outright for 3 epochs"), warnings.get(1));
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("samples-epoch-004.png")));
    }

    @Test
    void imagesOutsideTheUnitRangeAreRefusedNamingTheNormalization() {
        DataSplits standardized = DatasetRegistry.builtIn().get("mnist-10k").load(
                new DatasetSpec("mnist-10k", 64, new SplitSpec(0.1, 0.2), "standardize", List.of()), 1,
                DataLocations.fromEnvironment());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GanObjective().prepare(standardized));
        assertTrue(e.getMessage().startsWith("dataset.normalization: a GAN trains on pixels in [0, 1]"), e.getMessage());
    }
}
