package dev.workbench.models;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's runtime for SameDiff layers with the M2.1 gradient doubling undone: every SameDiff layer returns twice
 * the true gradient for its parameters and its input (ExternalErrorsFunction both registers the incoming errors
 * as the output's gradient and returns them as its op gradient, and SameDiff adds the two), so the factor
 * compounds down a stack of such layers. Gradients are linear in the incoming errors: halving those fixes both.
 * The workbench's SameDiff runtimes extend it and are attached with {@link LayerSettings#attach}; a gradient
 * check (GradientCheckUtil) of each layer guards the correction. SameDiff's per-op debug lines, printed
 * when the gradient function is first built, stay out of the output.
 */
public class ExactGradientSameDiffLayer extends SameDiffLayer {
    public ExactGradientSameDiffLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (sameDiff != null && sameDiff.hasGradientFunction()) {
            return super.backpropGradient(epsilon.mul(0.5), workspaceMgr);
        }
        // SameDiff M2.1 prints a line to System.out per op when it first builds a gradient function (thousands for
        // an unrolled GRU): drop those lines, pass anything else through.
        java.io.PrintStream console = System.out;
        System.setOut(new java.io.PrintStream(console, true) {
            @Override
            public void println(String line) {
                if (line == null || !line.startsWith("Added differentiated op")) {
                    console.println(line);
                }
            }
        });
        try {
            return super.backpropGradient(epsilon.mul(0.5), workspaceMgr);
        } finally {
            System.setOut(console);
        }
    }
}
