package dev.workbench.models.gnn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A graph attention layer's parameters: the shared projection {@code W [nIn, heads * headWidth]}, each head's
 * attention vectors for the node itself ({@code aSelf}) and for its neighbour ({@code aNeighbour}), both
 * {@code [1, heads * headWidth]}, and the bias {@code b [1, nOut]}. Weights initialise as the layer's weight init
 * says (Glorot in the paper), the bias at zero.
 */
public final class GraphAttentionParams extends BlockParams {
    public static final String WEIGHTS = "W";
    public static final String SELF_ATTENTION = "aSelf";
    public static final String NEIGHBOUR_ATTENTION = "aNeighbour";
    public static final String BIAS = "b";
    static final GraphAttentionParams INSTANCE = new GraphAttentionParams();

    private GraphAttentionParams() {
        super(BIAS);
    }

    @Override
    LinkedHashMap<String, long[]> blocks(Layer layer) {
        GraphAttention gat = (GraphAttention) layer;
        long width = gat.projectedWidth();
        LinkedHashMap<String, long[]> blocks = new LinkedHashMap<>();
        blocks.put(WEIGHTS, new long[]{gat.getNIn(), width});
        blocks.put(SELF_ATTENTION, new long[]{1, width});
        blocks.put(NEIGHBOUR_ATTENTION, new long[]{1, width});
        blocks.put(BIAS, new long[]{1, gat.getNOut()});
        return blocks;
    }

    @Override
    void initializeWeights(Layer layer, Map<String, INDArray> views) {
        GraphAttention gat = (GraphAttention) layer;
        long width = gat.projectedWidth();
        gat.getWeightInitFn().init(gat.getNIn(), width, new long[]{gat.getNIn(), width}, 'c', views.get(WEIGHTS));
        for (String key : List.of(SELF_ATTENTION, NEIGHBOUR_ATTENTION)) {
            gat.getWeightInitFn().init(gat.headWidth(), 1, new long[]{1, width}, 'c', views.get(key));
        }
    }
}
