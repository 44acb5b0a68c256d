package dev.workbench.onnx;

import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a rule sees of one layer: its configuration and trained parameters, the tensor that feeds it and
 * that tensor's DL4J type (shape and layout).
 *
 * @param index position of the layer in the network, for error messages
 * @param last  whether this layer produces the network's output (a VAE then exports its reconstruction)
 */
public record LayerExport(OnnxGraph graph, int index, Layer layer, Map<String, INDArray> params, String input,
                          InputType inputType, boolean last) {

    public INDArray param(String name) {
        INDArray value = params.get(name);
        if (value == null) {
            throw unsupported("parameter '" + name + "' missing (have " + params.keySet() + ")");
        }
        return value;
    }

    /** An error naming this layer, for what the exporter cannot express. */
    public UnsupportedLayerException unsupported(String what) {
        return new UnsupportedLayerException(index, layer.getClass().getSimpleName(), what);
    }
}
