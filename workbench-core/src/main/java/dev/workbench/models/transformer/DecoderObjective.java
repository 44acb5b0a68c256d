package dev.workbench.models.transformer;

import dev.workbench.data.Task;
import dev.workbench.generate.NextTokenModel;
import dev.workbench.train.Network;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A gpt decoder's objective: next-token language modelling, trained, judged, saved and loaded as every language
 * model is, with the family's attention map after training; text generation reads it through its key/value cache
 * ({@link CachedDecoder}) instead of a window per token.
 */
final class DecoderObjective extends TransformerObjective {
    DecoderObjective() {
        super(Task.LANGUAGE_MODEL);
    }

    @Override
    public NextTokenModel nextTokenModel(Network network, int context) {
        return CachedDecoder.of((MultiLayerNetwork) network.model(), context);
    }
}
