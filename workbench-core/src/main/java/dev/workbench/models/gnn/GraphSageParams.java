package dev.workbench.models.gnn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A GraphSAGE layer's parameters: {@code Wself [nIn, nOut]}, {@code Wneighbour [nIn, nOut]}, {@code b [1, nOut]}. */
public final class GraphSageParams extends BlockParams {
    public static final String SELF_WEIGHTS = "Wself";
    public static final String NEIGHBOUR_WEIGHTS = "Wneighbour";
    public static final String BIAS = "b";
    static final GraphSageParams INSTANCE = new GraphSageParams();

    private GraphSageParams() {
        super(BIAS);
    }

    @Override
    LinkedHashMap<String, long[]> blocks(Layer layer) {
        FeedForwardLayer sage = (FeedForwardLayer) layer;
        LinkedHashMap<String, long[]> blocks = new LinkedHashMap<>();
        blocks.put(SELF_WEIGHTS, new long[]{sage.getNIn(), sage.getNOut()});
        blocks.put(NEIGHBOUR_WEIGHTS, new long[]{sage.getNIn(), sage.getNOut()});
        blocks.put(BIAS, new long[]{1, sage.getNOut()});
        return blocks;
    }

    @Override
    void initializeWeights(Layer layer, Map<String, INDArray> views) {
        FeedForwardLayer sage = (FeedForwardLayer) layer;
        for (String key : weightKeys(sage)) {
            sage.getWeightInitFn().init(sage.getNIn(), sage.getNOut(), new long[]{sage.getNIn(), sage.getNOut()},
                    'c', views.get(key));
        }
    }
}
