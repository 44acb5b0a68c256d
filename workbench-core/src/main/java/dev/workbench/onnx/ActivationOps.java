package dev.workbench.onnx;

import dev.workbench.onnx.OnnxGraph.Attribute;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/** DL4J activation functions as ONNX nodes, matching ND4J's definitions. */
final class ActivationOps {
    private ActivationOps() {
    }

    static String emit(LayerExport layer, IActivation fn, String input) {
        OnnxGraph g = layer.graph();
        String hint = "layer" + layer.index();
        if (fn == null || fn instanceof ActivationIdentity) {
            return input;
        }
        if (fn instanceof ActivationReLU relu) {
            if (relu.getMax() != null || relu.getThreshold() != null || relu.getNegativeSlope() != null) {
                throw layer.unsupported("no ONNX rule for ReLU with max/threshold/negative slope");
            }
            return g.node("Relu", hint + "_relu", new String[]{input});
        }
        if (fn instanceof ActivationLReLU leaky) {
            return g.node("LeakyRelu", hint + "_leakyrelu", new String[]{input}, Attribute.real("alpha", leaky.getAlpha()));
        }
        if (fn instanceof ActivationELU elu) {
            return g.node("Elu", hint + "_elu", new String[]{input}, Attribute.real("alpha", elu.getAlpha()));
        }
        if (fn instanceof ActivationTanH) {
            return g.node("Tanh", hint + "_tanh", new String[]{input});
        }
        if (fn instanceof ActivationSigmoid) {
            return g.node("Sigmoid", hint + "_sigmoid", new String[]{input});
        }
        if (fn instanceof ActivationSoftmax) {
            return g.node("Softmax", hint + "_softmax", new String[]{input}, Attribute.integer("axis", -1));
        }
        if (fn instanceof ActivationSwish) {
            String sigmoid = g.node("Sigmoid", hint + "_swish_gate", new String[]{input});
            return g.node("Mul", hint + "_swish", new String[]{input, sigmoid});
        }
        if (fn instanceof ActivationGELU gelu && !gelu.isPrecise()) {
            // ND4J's default GELU is the sigmoid approximation x * sigmoid(1.702 x).
            String scaled = g.node("Mul", hint + "_gelu_scaled", new String[]{input, g.constant(hint + "_gelu_k", new float[]{1.702f})});
            String sigmoid = g.node("Sigmoid", hint + "_gelu_gate", new String[]{scaled});
            return g.node("Mul", hint + "_gelu", new String[]{input, sigmoid});
        }
        throw layer.unsupported("no ONNX rule for activation " + fn);
    }
}
