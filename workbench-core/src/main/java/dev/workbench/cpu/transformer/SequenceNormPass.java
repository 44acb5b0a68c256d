package dev.workbench.cpu.transformer;

import static dev.workbench.models.transformer.SequenceLayerNorm.BIAS;
import static dev.workbench.models.transformer.SequenceLayerNorm.GAIN;

import dev.workbench.cpu.kernels.HostArrays;
import dev.workbench.cpu.kernels.LayerNormRows;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@link dev.workbench.models.transformer.SequenceLayerNorm} function (layer norm of every step over its
 * features; masks change nothing) on {@link LayerNormRows}: one pass each way where the SameDiff layer runs its
 * graph's ops, and again the forward ops for backprop (a tenth of a GPT decoder step in a profile).
 */
final class SequenceNormPass implements RowsPass {
    private final int features;
    private final LayerNormRows norm;
    private float[] rows = new float[0];
    private float[] normed = new float[0];

    SequenceNormPass(int features) {
        this.features = features;
        this.norm = new LayerNormRows(features);
    }

    @Override
    public void forward(INDArray input, INDArray mask, Map<String, INDArray> params, INDArray output) {
        int count = Math.toIntExact(input.size(0) * input.size(2));
        if (rows.length != count * features) {
            rows = new float[count * features];
            normed = new float[count * features];
        }
        HostArrays.read(input.permute(0, 2, 1), rows);
        norm.forward(rows, count, params.get(GAIN).toFloatVector(), params.get(BIAS).toFloatVector(), normed);
        HostArrays.write(normed, output);
    }

    @Override
    public void backward(INDArray epsilon, Map<String, INDArray> params, Map<String, INDArray> gradients,
                         INDArray inputGradient) {
        float[] dRows = HostArrays.read(epsilon.permute(0, 2, 1), rows);
        float[] dGain = new float[features];
        float[] dBias = new float[features];
        norm.backward(dRows, params.get(GAIN).toFloatVector(), dRows, dGain, dBias);
        HostArrays.write(dGain, gradients.get(GAIN));
        HostArrays.write(dBias, gradients.get(BIAS));
        HostArrays.write(dRows, inputGradient);
    }
}
