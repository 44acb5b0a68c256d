package dev.workbench.models.gan;

import dev.workbench.data.DatasetInfo;
import dev.workbench.data.Task;
import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.Network;
import dev.workbench.train.TrainingObjective;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.Adam;

/**
 * What every GAN architecture shares: the family, the adversarial objective, the training options practitioners
 * reach for, and the pair built from an architecture's generator and discriminator. Defaults follow the DCGAN paper
 * (Radford et al. 2016): latent 100, Adam with beta1 0.5 (the job gives the rate; the paper's is 2e-4).
 */
abstract class GanFactory implements ModelFactory {
    @Override
    public final String family() {
        return "gan";
    }

    /** Whether the generator and discriminator are given each image's class. */
    boolean conditional() {
        return false;
    }

    /** The architecture's own hyperparameters, listed before the shared ones. */
    abstract List<HyperparameterSpec> networkHyperparameters();

    /** The generator: {@link GanSettings#generatorInputs()} in, one image per row out through tanh, no output layer. */
    abstract MultiLayerNetwork generator(NeuralNetConfiguration.Builder base, Hyperparameters hp, GanSettings settings);

    /** The discriminator: an image (and its one-hot class when conditional) in, one logit out, no output layer. */
    abstract MultiLayerNetwork discriminator(NeuralNetConfiguration.Builder base, Hyperparameters hp, GanSettings settings);

    @Override
    public final List<HyperparameterSpec> hyperparameters() {
        List<HyperparameterSpec> specs = new ArrayList<>(networkHyperparameters());
        specs.add(HyperparameterSpec.integer("latent", 100, 1, 4096, "size of the noise vector z ~ N(0, I)"));
        specs.add(HyperparameterSpec.integer("d_steps", 1, 1, 100, "discriminator updates per generator update"));
        specs.add(HyperparameterSpec.integer("g_steps", 1, 1, 10,
                "generator updates each time the generator updates, each after the first on fresh noise"));
        specs.add(HyperparameterSpec.real("label_smoothing", 0.0, 0.0, 0.5,
                "one-sided: the discriminator's target for real images is 1 minus this"));
        specs.add(HyperparameterSpec.choice("generator_loss", "non_saturating", List.of("non_saturating", "minimax"),
                "non_saturating: maximise log D(G(z)); minimax: minimise log(1 - D(G(z)))"));
        specs.add(HyperparameterSpec.real("g_ema", 0.0, 0.0, 0.9999,
                "decay of a moving average of the generator's weights that draws the samples, scores, generate and "
                        + "export (e.g. 0.999); 0: the trained generator draws"));
        specs.add(HyperparameterSpec.text("reference_run", "",
                "run folder of a trained digit classifier (mnist-reference-classifier.yaml): adds inception_score and "
                        + "frechet_distance per epoch; empty: no score"));
        specs.add(HyperparameterSpec.integer("score_samples", 2000, 10, GeneratedImages.MAX_COUNT,
                "generated images the score judges (fixed noise)"));
        specs.add(HyperparameterSpec.real("adam_beta1", 0.5, 0.0, 0.999,
                "Adam's first-moment decay for both networks (when the optimizer is adam)"));
        return specs;
    }

    @Override
    public Optional<String> incompatibility(DatasetInfo data, Hyperparameters hyperparameters) {
        if (!data.input().isImage()) {
            return Optional.of("generates images; dataset " + data.name() + " is " + data.input());
        }
        if (conditional() && data.task() != Task.CLASSIFICATION) {
            return Optional.of("is conditioned on classes; dataset " + data.name() + " has none");
        }
        return Optional.empty();
    }

    @Override
    public final TrainingObjective objective(DatasetInfo data) {
        return new GanObjective();
    }

    /** With the score when the job names a reference classifier's run folder. */
    @Override
    public final TrainingObjective objective(DatasetInfo data, Hyperparameters hyperparameters) {
        String run = hyperparameters.text("reference_run");
        if (run.isBlank()) {
            return objective(data);
        }
        return new GanObjective(ReferenceClassifier.load(Path.of(run), data.input(), "model.hyperparameters.reference_run"),
                hyperparameters.integer("score_samples"));
    }

    @Override
    public final Network build(ModelContext context) {
        Hyperparameters hp = context.hyperparameters();
        DatasetInfo data = context.data();
        GanSettings settings = new GanSettings(hp.integer("latent"), conditional() ? data.numClasses() : 0,
                hp.integer("d_steps"), hp.integer("g_steps"), hp.real("label_smoothing"),
                "non_saturating".equals(hp.choice("generator_loss")),
                data.input().channels(), data.input().height(), data.input().width(), hp.real("g_ema"));
        MultiLayerNetwork generator = generator(base(settings.generatorConfiguration(context.base()), hp), hp, settings);
        MultiLayerNetwork discriminator = discriminator(base(context.base(), hp), hp, settings);
        generator.init();
        discriminator.init();
        return new GanNetwork(generator, discriminator, settings);
    }

    /**
     * One network's share of the job's settings with Adam's beta1 from the hyperparameters. Training workspaces
     * are {@link GanNetwork}'s to set (it does for every pair, loaded ones too); inference runs without.
     */
    private static NeuralNetConfiguration.Builder base(BaseConfiguration configuration, Hyperparameters hp) {
        NeuralNetConfiguration.Builder builder = configuration.builder().inferenceWorkspaceMode(WorkspaceMode.NONE);
        if ("adam".equals(configuration.training().optimizer().type())) {
            Adam adam = new Adam(configuration.learningRate());
            adam.setBeta1(hp.real("adam_beta1"));
            builder.updater(adam);
        }
        return builder;
    }
}
