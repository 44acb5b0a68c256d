package dev.workbench.models.transformer;

import dev.workbench.data.DatasetInfo;
import dev.workbench.data.Task;
import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import dev.workbench.train.TrainingObjective;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * A GPT-style decoder for language modelling: token embedding + positions (learned or sinusoidal), {@code layers}
 * causal blocks (pre-LN with a final layer norm, as GPT-2 and nanoGPT, or post-LN), and a softmax over the
 * vocabulary at every step. Step t reads tokens 0..t only, so one window trains next-token prediction at every
 * position at once, and a window padded on the right predicts its last real token exactly as a shorter window would.
 * With {@code tie_weights} the token embedding reads the head's weights ({@link TiedTokenEmbedding}).
 */
public final class GptFactory implements ModelFactory {
    static final List<String> NORMS = List.of("pre", "post");

    @Override
    public String family() {
        return "transformer";
    }

    @Override
    public String architecture() {
        return "gpt";
    }

    @Override
    public String description() {
        return "GPT-style decoder (token + learned or sinusoidal positions, causal pre-LN or post-LN blocks, softmax at every step): language model";
    }

    @Override
    public List<HyperparameterSpec> hyperparameters() {
        List<HyperparameterSpec> specs = new ArrayList<>(BlockStack.hyperparameters(128, 4, 512, 4, 0.0));
        specs.add(HyperparameterSpec.choice("positions", "learned", BlockStack.POSITIONS, "positional encoding"));
        specs.add(HyperparameterSpec.choice("norm", "pre", NORMS,
                "pre-LN (GPT-2, with a final layer norm) or post-LN blocks (the original)"));
        specs.add(HyperparameterSpec.flag("tie_weights", false, "share one matrix between the token embedding and the "
                + "softmax head (vocabulary x d_model fewer parameters; its gradient sums both uses)"));
        return specs;
    }

    @Override
    public TrainingObjective objective(DatasetInfo data) {
        return new DecoderObjective();
    }

    @Override
    public Optional<String> incompatibility(DatasetInfo data, Hyperparameters hp) {
        if (data.task() != Task.LANGUAGE_MODEL || !data.input().isTokens()) {
            return Optional.of("gpt is a language model over tokens; " + data.name() + " is for "
                    + data.task().name().toLowerCase() + " with input " + data.input());
        }
        return BlockStack.headsProblem(hp);
    }

    @Override
    public Network build(ModelContext context) {
        Hyperparameters hp = context.hyperparameters();
        boolean preNorm = hp.choice("norm").equals("pre");
        Layer softmax = tokenSoftmax(context.data().labels().size());
        BlockStack stack = BlockStack.of(hp, hp.choice("positions"), preNorm, true);
        boolean tied = hp.flag("tie_weights");
        return new SequentialNetwork(preNorm ? stack.network(context, tied, new SequenceLayerNorm(), softmax)
                : stack.network(context, tied, softmax));
    }

    /** A softmax over {@code tokens} at every step, trained by cross-entropy: the head of a language model. */
    static Layer tokenSoftmax(int tokens) {
        return new RnnOutputLayer.Builder(LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(tokens).build();
    }
}
