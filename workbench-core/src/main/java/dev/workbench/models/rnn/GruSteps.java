package dev.workbench.models.rnn;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The GRU recurrence unrolled over a fixed number of steps as SameDiff ops, so SameDiff derives the backward
 * pass. (SameDiff's own {@code gru} op resets the state before the recurrent matmul, i.e. ONNX's
 * {@code linear_before_reset=0}: not the formulation {@link Gru} promises.) The input projection of every
 * step is one matmul up front; each step then costs one {@code [batch, H] x [H, 3H]} matmul and a few
 * element-wise ops.
 */
final class GruSteps {
    private final SameDiff sd;
    private final SDVariable timeMajor;   // [time * batch, nIn]
    private final SDVariable[] mask;      // per step [batch, 1], 1 = real step, 0 = padding
    private final long hidden;
    private final int steps;
    private final long nIn;

    GruSteps(SameDiff sd, SDVariable input, SDVariable mask, long hidden, long steps) {
        this.sd = sd;
        this.hidden = hidden;
        this.steps = Math.toIntExact(steps);
        this.nIn = input.getShape()[1];
        this.timeMajor = sd.reshape(sd.permute(input, 2, 0, 1), -1, nIn);
        this.mask = sd.unstack(sd.expandDims(sd.permute(mask.castTo(input.dataType()), 1, 0), 2), 0, this.steps);
    }

    /** Hidden states {@code [batch, H, time]} for one direction; {@code reverse} reads from the last step back. */
    SDVariable run(SDVariable w, SDVariable r, SDVariable wb, SDVariable rb, boolean reverse) {
        SDVariable[] projected = sd.unstack(sd.reshape(sd.mmul(timeMajor, w).add(wb), steps, -1, 3 * hidden), 0, steps);
        SDVariable h = sd.zerosLike(projected[0].get(SDIndex.all(), SDIndex.interval(0L, hidden)));
        SDVariable[] outputs = new SDVariable[steps];
        for (int i = 0; i < steps; i++) {
            int t = reverse ? steps - 1 - i : i;
            SDVariable next = step(projected[t], h, r, rb);
            // Masked steps carry the state: h' = h + m (next - h).
            h = h.add(mask[t].mul(next.sub(h)));
            outputs[t] = h;
        }
        return sd.stack(2, outputs);
    }

    private SDVariable step(SDVariable x, SDVariable h, SDVariable r, SDVariable rb) {
        SDVariable recurrent = sd.mmul(h, r).add(rb);
        SDVariable gates = sd.nn().sigmoid(x.add(recurrent).get(SDIndex.all(), SDIndex.interval(0L, 2 * hidden)));
        SDVariable update = gates.get(SDIndex.all(), SDIndex.interval(0L, hidden));
        SDVariable reset = gates.get(SDIndex.all(), SDIndex.interval(hidden, 2 * hidden));
        SDVariable candidate = sd.math().tanh(x.get(SDIndex.all(), SDIndex.interval(2 * hidden, 3 * hidden))
                .add(reset.mul(recurrent.get(SDIndex.all(), SDIndex.interval(2 * hidden, 3 * hidden)))));
        // (1 - z) n + z h, written n + z (h - n) to save an op.
        return candidate.add(update.mul(h.sub(candidate)));
    }
}
