package dev.workbench.train;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A network over padded token ids ({@code [batch, 1, time]}, id {@value #PAD_ID} for padding, as word vocabularies
 * reserve it) that gives DL4J the features mask those ids imply, in training, evaluation and prediction alike: its
 * layers then keep padding out of attention and pooling. The mask is derived from the ids rather than carried by the
 * data, so whatever calls {@link #output} with ids gets the masked model.
 */
public final class PaddingMaskedNetwork extends ForwardingNetwork {
    public static final String KIND = "PaddingMaskedMultiLayerNetwork";
    public static final int PAD_ID = 0;

    private final SequentialNetwork network;

    public PaddingMaskedNetwork(SequentialNetwork network) {
        super(network);
        this.network = network;
    }

    public static PaddingMaskedNetwork load(Path file) throws IOException {
        return new PaddingMaskedNetwork(SequentialNetwork.load(file));
    }

    /** {@code [batch, time]}: 1 for a token, 0 for padding. */
    public static INDArray mask(INDArray ids) {
        if (ids.rank() != 3 || ids.size(1) != 1) {
            throw new IllegalArgumentException("padding mask: expected token ids [batch, 1, time], got "
                    + java.util.Arrays.toString(ids.shape()));
        }
        return ids.reshape(ids.size(0), ids.size(2)).neq(PAD_ID).castTo(ids.dataType());
    }

    @Override
    public void fit(DataSet batch) {
        network.net().fit(new DataSet(batch.getFeatures(), batch.getLabels(), mask(batch.getFeatures()),
                batch.getLabelsMaskArray()));
    }

    @Override
    public INDArray output(INDArray features) {
        return network.net().output(features, false, mask(features), null);
    }

    @Override
    public Network rebuilt(Model model) {
        return new PaddingMaskedNetwork((SequentialNetwork) network.rebuilt(model));
    }

    @Override
    public String kind() {
        return KIND;
    }
}
