package dev.workbench.models.rnn;

import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A recurrence unrolled over a fixed number of steps as SameDiff ops, so SameDiff derives the backward pass; what
 * every workbench recurrent layer shares. The input projection of every step is one matmul up front; the cell then
 * maps each step's projection and the state to the next state. A masked step (features mask 0) carries every part
 * of the state unchanged, so padding is inert in either direction and the output at a masked step is that carried
 * state.
 */
final class MaskedRecurrence {
    /** One step of a cell: the next state from the step's projected input {@code [batch, G*H]} and the state. */
    interface Cell {
        /** @param state the state's parts ({@code [batch, H]} each), the hidden state first */
        SDVariable[] next(SDVariable projected, SDVariable[] state);
    }

    private final SameDiff sd;
    private final SDVariable timeMajor;   // [time * batch, nIn]
    private final SDVariable[] mask;      // per step [batch, 1], 1 = real step, 0 = padding
    private final int steps;

    MaskedRecurrence(SameDiff sd, SDVariable input, SDVariable mask, long steps) {
        this.sd = sd;
        this.steps = Math.toIntExact(steps);
        this.timeMajor = sd.reshape(sd.permute(input, 2, 0, 1), -1, input.getShape()[1]);
        this.mask = sd.unstack(sd.expandDims(sd.permute(mask.castTo(input.dataType()), 1, 0), 2), 0, this.steps);
    }

    SameDiff sameDiff() {
        return sd;
    }

    /**
     * Hidden states {@code [batch, H, time]} of one direction, the state starting at zero.
     *
     * @param w input weights {@code [nIn, G*H]}, {@code bias} {@code [1, G*H]}
     * @param parts how many {@code [batch, H]} parts the cell's state has
     */
    SDVariable run(SDVariable w, SDVariable bias, long hidden, int parts, boolean reverse, Cell cell) {
        long width = w.getShape()[1];
        SDVariable[] projected = sd.unstack(sd.reshape(sd.mmul(timeMajor, w).add(bias), steps, -1, width), 0, steps);
        SDVariable[] state = new SDVariable[parts];
        for (int k = 0; k < parts; k++) {
            state[k] = sd.zerosLike(projected[0].get(SDIndex.all(), SDIndex.interval(0L, hidden)));
        }
        SDVariable[] outputs = new SDVariable[steps];
        for (int i = 0; i < steps; i++) {
            int t = reverse ? steps - 1 - i : i;
            SDVariable[] next = cell.next(projected[t], state);
            // After the last step only the hidden state is read: carrying the rest would leave ops that SameDiff's
            // backward pass cannot place.
            for (int k = 0; k < (i == steps - 1 ? 1 : parts); k++) {
                // Masked steps carry the state: s' = s + m (next - s).
                state[k] = state[k].add(mask[t].mul(next[k].sub(state[k])));
            }
            outputs[t] = state[0];
        }
        return sd.stack(2, outputs);
    }

    /** Columns {@code [from, from + width)} of a {@code [batch, G*H]} variable: one gate block. */
    static SDVariable block(SDVariable gates, long from, long width) {
        return gates.get(SDIndex.all(), SDIndex.interval(from, from + width));
    }
}
