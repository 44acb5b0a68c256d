package dev.workbench.cpu.rnn;

import dev.workbench.cpu.kernels.HostArrays;
import dev.workbench.cpu.transformer.RowsPass;
import dev.workbench.models.rnn.Lstm;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@link Lstm} function on the host: one {@link LstmSequence} per direction, each fed its steps in the order it
 * reads them (the reverse direction's input and padding mask reversed in time) and its outputs put back in the
 * input's time order, {@code [forward; reverse]} along the features.
 */
final class LstmPass implements RowsPass {
    private final List<String> prefixes;
    private final List<Boolean> backwards;
    private final LstmSequence[] sequences;
    private int batch;
    private int steps;
    private int inputs;
    private final int hidden;

    LstmPass(Lstm layer) {
        this.prefixes = layer.directionPrefixes();
        this.backwards = prefixes.stream().map(layer::readsBackwards).toList();
        this.hidden = Math.toIntExact(layer.getNOut());
        this.sequences = new LstmSequence[prefixes.size()];
        for (int d = 0; d < sequences.length; d++) {
            sequences[d] = new LstmSequence();
        }
    }

    @Override
    public void forward(INDArray input, INDArray mask, Map<String, INDArray> params, INDArray output) {
        batch = Math.toIntExact(input.size(0));
        inputs = Math.toIntExact(input.size(1));
        steps = Math.toIntExact(input.size(2));
        int width = hidden * sequences.length;
        float[] timeMajorInput = HostArrays.read(input.permute(2, 0, 1), new float[steps * batch * inputs]);
        float[] real = mask == null ? null : HostArrays.read(mask.castTo(DataType.FLOAT), new float[batch * steps]);
        float[] rows = new float[batch * steps * width];
        float[] stepOutputs = new float[steps * batch * hidden];
        for (int d = 0; d < sequences.length; d++) {
            boolean reverse = backwards.get(d);
            String prefix = prefixes.get(d);
            INDArray x = HostArrays.detached(steps, batch, inputs);
            HostArrays.write(reverse ? reversedSteps(timeMajorInput, inputs) : timeMajorInput, x);
            sequences[d].forward(x, real == null ? null : keep(real, reverse), params.get(prefix + Lstm.INPUT_WEIGHTS),
                    params.get(prefix + Lstm.RECURRENT_WEIGHTS), params.get(prefix + Lstm.BIAS));
            HostArrays.read(sequences[d].outputs(), stepOutputs);
            for (int t = 0; t < steps; t++) {
                int time = reverse ? steps - 1 - t : t;
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(stepOutputs, (t * batch + b) * hidden, rows, (b * steps + time) * width + d * hidden, hidden);
                }
            }
        }
        HostArrays.write(rows, output);
    }

    @Override
    public long outputFeatures(long inputFeatures) {
        return (long) hidden * sequences.length;
    }

    @Override
    public void backward(INDArray epsilon, Map<String, INDArray> params, Map<String, INDArray> gradients,
                         INDArray inputGradient) {
        int width = hidden * sequences.length;
        float[] dRows = HostArrays.read(epsilon.permute(0, 2, 1), new float[batch * steps * width]);
        float[] dInput = new float[batch * steps * inputs];
        float[] dStepOutputs = new float[steps * batch * hidden];
        float[] dStepInputs = new float[steps * batch * inputs];
        for (int d = 0; d < sequences.length; d++) {
            boolean reverse = backwards.get(d);
            String prefix = prefixes.get(d);
            for (int t = 0; t < steps; t++) {
                int time = reverse ? steps - 1 - t : t;
                for (int b = 0; b < batch; b++) {
                    System.arraycopy(dRows, (b * steps + time) * width + d * hidden, dStepOutputs, (t * batch + b) * hidden, hidden);
                }
            }
            INDArray dOut = HostArrays.detached(steps, batch, hidden);
            HostArrays.write(dStepOutputs, dOut);
            INDArray dx = sequences[d].backward(dOut, params.get(prefix + Lstm.INPUT_WEIGHTS),
                    params.get(prefix + Lstm.RECURRENT_WEIGHTS), gradients.get(prefix + Lstm.INPUT_WEIGHTS),
                    gradients.get(prefix + Lstm.RECURRENT_WEIGHTS), gradients.get(prefix + Lstm.BIAS), true);
            HostArrays.read(dx, dStepInputs);
            for (int t = 0; t < steps; t++) {
                int time = reverse ? steps - 1 - t : t;
                for (int b = 0; b < batch; b++) {
                    int from = (t * batch + b) * inputs;
                    int to = (b * steps + time) * inputs;
                    for (int k = 0; k < inputs; k++) {
                        dInput[to + k] += dStepInputs[from + k];
                    }
                }
            }
        }
        HostArrays.write(dInput, inputGradient);
    }

    /** Time-major rows ({@code [steps, batch, width]}) with the steps in reverse order. */
    private float[] reversedSteps(float[] timeMajor, int width) {
        float[] reversed = new float[timeMajor.length];
        int block = batch * width;
        for (int t = 0; t < steps; t++) {
            System.arraycopy(timeMajor, (steps - 1 - t) * block, reversed, t * block, block);
        }
        return reversed;
    }

    /** The mask {@code [batch, time]} as a direction's per time-major row flags, in the order it reads the steps. */
    private float[] keep(float[] real, boolean reverse) {
        float[] keep = new float[steps * batch];
        for (int t = 0; t < steps; t++) {
            int time = reverse ? steps - 1 - t : t;
            for (int b = 0; b < batch; b++) {
                keep[t * batch + b] = real[b * steps + time];
            }
        }
        return keep;
    }
}
