package dev.workbench.models.rnn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The GRU cell as SameDiff ops, unrolled by {@link MaskedRecurrence}. (SameDiff's own {@code gru} op resets the
 * state before the recurrent matmul, i.e. ONNX's {@code linear_before_reset=0}: not the formulation {@link Gru}
 * promises.) Each step costs one {@code [batch, H] x [H, 3H]} matmul and a few element-wise ops.
 */
final class GruSteps {
    private GruSteps() {
    }

    /** Hidden states {@code [batch, H, time]} for one direction; {@code reverse} reads from the last step back. */
    static SDVariable run(MaskedRecurrence steps, SDVariable w, SDVariable r, SDVariable wb, SDVariable rb, long hidden,
                          boolean reverse) {
        SameDiff sd = steps.sameDiff();
        return steps.run(w, wb, hidden, 1, reverse, (x, state) -> new SDVariable[]{step(sd, x, state[0], r, rb, hidden)});
    }

    private static SDVariable step(SameDiff sd, SDVariable x, SDVariable h, SDVariable r, SDVariable rb, long hidden) {
        SDVariable recurrent = sd.mmul(h, r).add(rb);
        SDVariable gates = sd.nn().sigmoid(MaskedRecurrence.block(x.add(recurrent), 0, 2 * hidden));
        SDVariable update = MaskedRecurrence.block(gates, 0, hidden);
        SDVariable reset = MaskedRecurrence.block(gates, hidden, hidden);
        SDVariable candidate = sd.math().tanh(MaskedRecurrence.block(x, 2 * hidden, hidden)
                .add(reset.mul(MaskedRecurrence.block(recurrent, 2 * hidden, hidden))));
        // (1 - z) n + z h, written n + z (h - n) to save an op.
        return candidate.add(update.mul(h.sub(candidate)));
    }
}
