package dev.workbench.generate;

import dev.workbench.train.Network;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A next-token model that runs the whole network on the last {@code context} tokens (the window length it was
 * trained on) for every distribution: what any sequence network can do, at the cost of a full window per token.
 * A network of fixed length (learned positions) gets the window padded on the right with id 0 to {@code context}
 * steps and is read at the last real step; that is exact for a causal network, whose step t reads steps 0..t only.
 */
public final class WindowedModel implements NextTokenModel {
    private final Network network;
    private final int context;
    private final boolean fixedLength;
    private int[] ids = new int[64];
    private int n;

    public WindowedModel(Network network, int context, boolean fixedLength) {
        this.network = network;
        this.context = context;
        this.fixedLength = fixedLength;
    }

    @Override
    public double[] read(int... tokens) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("read: no tokens");
        }
        if (n + tokens.length > ids.length) {
            ids = Arrays.copyOf(ids, Math.max(2 * ids.length, n + tokens.length));
        }
        System.arraycopy(tokens, 0, ids, n, tokens.length);
        n += tokens.length;
        int window = Math.min(n, context);
        INDArray input = Nd4j.zeros(DataType.FLOAT, 1, 1, fixedLength ? context : window);
        for (int t = 0; t < window; t++) {
            input.putScalar(0, 0, t, ids[n - window + t]);
        }
        INDArray output = network.output(input);  // [1, vocabulary, steps]
        return output.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(window - 1))
                .castTo(DataType.DOUBLE).toDoubleVector();
    }
}
