package dev.workbench.train;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What ONNX export writes when it is not the trained network fed the dataset's inputs: a family that trains one
 * network to export another (a GAN's generator, fed noise) names it, its inputs, and the inputs and DL4J outputs its
 * parity is judged on.
 *
 * @param model        the network written; its first layer reads the {@code inputs} side by side, in their order
 * @param inputs       the graph's named inputs, each {@code float [batch, width]}
 * @param parityInputs one batch per input, rows aligned: real inputs of the kind the model is used with
 * @param expected     what the trained family gives for {@code parityInputs}, which the exported graph must reproduce
 * @param output       the graph's output: the network's, flattened per row and mapped
 */
public record ExportedModel(MultiLayerNetwork model, List<Input> inputs, List<INDArray> parityInputs, INDArray expected,
                            Output output) {

    /** A named graph input and what a caller feeds it, for the model's description. */
    public record Input(String name, int width, String meaning) {
    }

    /**
     * The graph's output, {@code (network output + shift) * scale} flattened to {@code float [batch, width]}: a
     * generator's tanh images in [-1, 1] become pixels in [0, 1] with shift 1 and scale 0.5.
     */
    public record Output(double shift, double scale, String meaning) {
    }

    public ExportedModel {
        if (inputs.isEmpty() || parityInputs.size() != inputs.size()) {
            throw new IllegalArgumentException("one parity batch per input: " + inputs.size() + " inputs, "
                    + parityInputs.size() + " batches");
        }
        for (int i = 0; i < inputs.size(); i++) {
            INDArray batch = parityInputs.get(i);
            if (batch.rank() != 2 || batch.columns() != inputs.get(i).width() || batch.rows() != expected.rows()) {
                throw new IllegalArgumentException("parity input '" + inputs.get(i).name() + "': expected ["
                        + expected.rows() + ", " + inputs.get(i).width() + "], got " + java.util.Arrays.toString(batch.shape()));
            }
        }
    }

    /** The width of the network's input: every named input's, side by side. */
    public int inputWidth() {
        return inputs.stream().mapToInt(Input::width).sum();
    }
}
