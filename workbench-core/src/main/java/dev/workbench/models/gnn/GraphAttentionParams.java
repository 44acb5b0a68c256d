package dev.workbench.models.gnn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A graph attention layer's parameters: the shared projection {@code W [nIn, heads * headWidth]}, each head's
 * attention vectors for the node itself ({@code aSelf}) and for its neighbour ({@code aNeighbour}), both
 * {@code [1, heads * headWidth]}, and the bias {@code b [1, nOut]}. Weights initialise as the layer's weight init
 * says (Glorot in the paper), the bias at zero.
 */
public final class GraphAttentionParams implements ParamInitializer {
    public static final String WEIGHTS = "W";
    public static final String SELF_ATTENTION = "aSelf";
    public static final String NEIGHBOUR_ATTENTION = "aNeighbour";
    public static final String BIAS = "b";
    static final GraphAttentionParams INSTANCE = new GraphAttentionParams();

    private GraphAttentionParams() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        GraphAttention gat = (GraphAttention) layer;
        long width = gat.projectedWidth();
        return gat.getNIn() * width + 2 * width + gat.getNOut();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(WEIGHTS, SELF_ATTENTION, NEIGHBOUR_ATTENTION, BIAS);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHTS, SELF_ATTENTION, NEIGHBOUR_ATTENTION);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(BIAS);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        GraphAttention gat = (GraphAttention) conf.getLayer();
        Map<String, INDArray> views = views(gat, paramsView);
        if (initializeParams) {
            long width = gat.projectedWidth();
            gat.getWeightInitFn().init(gat.getNIn(), width, new long[]{gat.getNIn(), width}, 'c', views.get(WEIGHTS));
            for (String key : List.of(SELF_ATTENTION, NEIGHBOUR_ATTENTION)) {
                gat.getWeightInitFn().init(gat.headWidth(), 1, new long[]{1, width}, 'c', views.get(key));
            }
            views.get(BIAS).assign(0);
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((GraphAttention) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> views(GraphAttention gat, INDArray flat) {
        INDArray row = flat.reshape(flat.length());
        long width = gat.projectedWidth();
        long w = gat.getNIn() * width;
        Map<String, INDArray> views = new LinkedHashMap<>();
        views.put(WEIGHTS, row.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, w)).reshape('c', gat.getNIn(), width));
        views.put(SELF_ATTENTION, row.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(w, w + width)).reshape('c', 1, width));
        views.put(NEIGHBOUR_ATTENTION, row.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(w + width, w + 2 * width))
                .reshape('c', 1, width));
        views.put(BIAS, row.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(w + 2 * width, w + 2 * width + gat.getNOut()))
                .reshape('c', 1, gat.getNOut()));
        return views;
    }
}
