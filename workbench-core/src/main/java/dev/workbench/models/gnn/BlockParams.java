package dev.workbench.models.gnn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters laid out as named blocks one after another in the layer's flat view, each in 'c' order: the graph layers
 * differ only in their blocks and in how their weights start; the bias block starts at zero.
 */
abstract class BlockParams implements ParamInitializer {
    private final String biasKey;

    BlockParams(String biasKey) {
        this.biasKey = biasKey;
    }

    /** The blocks of {@code layer} and their shapes, in their order in the flat view, the bias among them. */
    abstract LinkedHashMap<String, long[]> blocks(Layer layer);

    /** Sets the weight blocks' initial values. */
    abstract void initializeWeights(Layer layer, Map<String, INDArray> views);

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return blocks(layer).values().stream().mapToLong(BlockParams::size).sum();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.copyOf(blocks(layer).keySet());
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return paramKeys(layer).stream().filter(k -> !k.equals(biasKey)).toList();
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(biasKey);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return biasKey.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Map<String, INDArray> views = views(conf.getLayer(), paramsView);
        if (initializeParams) {
            initializeWeights(conf.getLayer(), views);
            views.get(biasKey).assign(0);
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(conf.getLayer(), gradientView);
    }

    private Map<String, INDArray> views(Layer layer, INDArray flat) {
        INDArray row = flat.reshape(flat.length());
        Map<String, INDArray> views = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, long[]> block : blocks(layer).entrySet()) {
            long size = size(block.getValue());
            views.put(block.getKey(), row.get(NDArrayIndex.interval(offset, offset + size)).reshape('c', block.getValue()));
            offset += size;
        }
        return views;
    }

    private static long size(long[] shape) {
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        return size;
    }
}
