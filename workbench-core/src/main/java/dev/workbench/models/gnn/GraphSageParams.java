package dev.workbench.models.gnn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A GraphSAGE layer's parameters: {@code Wself [nIn, nOut]}, {@code Wneighbour [nIn, nOut]}, {@code b [1, nOut]}. */
public final class GraphSageParams implements ParamInitializer {
    public static final String SELF_WEIGHTS = "Wself";
    public static final String NEIGHBOUR_WEIGHTS = "Wneighbour";
    public static final String BIAS = "b";
    static final GraphSageParams INSTANCE = new GraphSageParams();

    private GraphSageParams() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        FeedForwardLayer sage = (FeedForwardLayer) layer;
        return 2 * sage.getNIn() * sage.getNOut() + sage.getNOut();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(SELF_WEIGHTS, NEIGHBOUR_WEIGHTS, BIAS);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(SELF_WEIGHTS, NEIGHBOUR_WEIGHTS);
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
        FeedForwardLayer sage = (FeedForwardLayer) conf.getLayer();
        Map<String, INDArray> views = views(sage, paramsView);
        if (initializeParams) {
            for (String key : weightKeys(sage)) {
                sage.getWeightInitFn().init(sage.getNIn(), sage.getNOut(), new long[]{sage.getNIn(), sage.getNOut()},
                        'c', views.get(key));
            }
            views.get(BIAS).assign(0);
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((FeedForwardLayer) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> views(FeedForwardLayer sage, INDArray flat) {
        INDArray row = flat.reshape(flat.length());
        long w = sage.getNIn() * sage.getNOut();
        Map<String, INDArray> views = new LinkedHashMap<>();
        views.put(SELF_WEIGHTS, row.get(NDArrayIndex.interval(0, w)).reshape('c', sage.getNIn(), sage.getNOut()));
        views.put(NEIGHBOUR_WEIGHTS, row.get(NDArrayIndex.interval(w, 2 * w)).reshape('c', sage.getNIn(), sage.getNOut()));
        views.put(BIAS, row.get(NDArrayIndex.interval(2 * w, 2 * w + sage.getNOut())).reshape('c', 1, sage.getNOut()));
        return views;
    }
}
