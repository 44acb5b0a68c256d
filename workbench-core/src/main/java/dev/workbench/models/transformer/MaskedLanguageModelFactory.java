package dev.workbench.models.transformer;

import dev.workbench.data.DatasetInfo;
import dev.workbench.data.Task;
import dev.workbench.models.HyperparameterSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.train.Network;
import dev.workbench.train.PaddingMaskedNetwork;
import dev.workbench.train.SequentialNetwork;
import dev.workbench.train.TrainingObjective;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * BERT-style masked language model (Devlin et al. 2019): the encoder classifier's embedding, learned positions and
 * post-LN blocks, read at every step by a softmax over the vocabulary, with padding kept out of attention. It
 * pre-trains an encoder that a classifier job then starts from ({@code pretrained_run} of the encoder); the
 * objective ({@link MaskedLanguageModelObjective}) does the masking.
 */
public final class MaskedLanguageModelFactory implements ModelFactory {
    @Override
    public String family() {
        return "transformer";
    }

    @Override
    public String architecture() {
        return "bert-mlm";
    }

    @Override
    public String description() {
        return "BERT-style masked language model (the encoder's embedding, positions and blocks, softmax over the "
                + "vocabulary at every step, padding masked): pre-trains the encoder on unlabelled sentences";
    }

    @Override
    public List<HyperparameterSpec> hyperparameters() {
        List<HyperparameterSpec> specs = new ArrayList<>(BlockStack.hyperparameters(128, 4, 512, 2, 0.1));
        specs.add(HyperparameterSpec.real("mask_fraction", 0.15, 0.01, 0.5,
                "share of each sentence's tokens chosen for prediction (BERT: 0.15; of those 80% become <mask>, 10% a "
                        + "random word, 10% stay)"));
        return specs;
    }

    @Override
    public TrainingObjective objective(DatasetInfo data) {
        return new MaskedLanguageModelObjective(0.15);
    }

    @Override
    public TrainingObjective objective(DatasetInfo data, Hyperparameters hyperparameters) {
        return new MaskedLanguageModelObjective(hyperparameters.real("mask_fraction"));
    }

    @Override
    public Optional<String> incompatibility(DatasetInfo data, Hyperparameters hp) {
        if (!data.input().isTokens() || data.task() == Task.LANGUAGE_MODEL) {
            return Optional.of("bert-mlm pre-trains on sentences of word ids (sentiment-bert); " + data.name()
                    + " is for " + data.task().name().toLowerCase() + " with input " + data.input());
        }
        return BlockStack.headsProblem(hp);
    }

    @Override
    public Network build(ModelContext context) {
        return new PaddingMaskedNetwork(new SequentialNetwork(BlockStack.of(context.hyperparameters(), "learned", false,
                false).network(context, GptFactory.tokenSoftmax(context.data().input().vocabulary()))));
    }
}
