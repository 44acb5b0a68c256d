package dev.workbench.cpu.rnn;

import dev.workbench.cpu.kernels.FloatLanes;
import dev.workbench.lanes.LaneExp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise part of one LSTM time step, forward and back, over a step's {@code [batch, 4H]} gate rows (blocks in
 * DL4J's order a, f, o, i) on the vector API. ND4J ran it as separate sigmoid and tanh ops plus scalar Java loops, 100
 * times a sequence each way; here each step is one pass over vectors, the exponentials from {@link LaneExp} (the vector
 * API's own TANH changes its last bit once C2 compiles it, so a run and its resume in one JVM drifted apart).
 */
final class LstmCellSteps {
    private static final VectorSpecies<Float> SPECIES = FloatLanes.SPECIES;

    private LstmCellSteps() {
    }

    /**
     * Forward: {@code gates} holds the step's pre-activations with the cell input block doubled (2 z_a, so that one
     * sigmoid serves all four blocks: tanh(z) = 2 sigmoid(2z) - 1) and is overwritten by the activations a, f, o, i;
     * writes c_t, tanh(c_t) and h_t.
     *
     * @param previousCell c_{t-1} per row, or null for the first step (c = 0)
     */
    static void forward(int batch, int hidden, float[] gates, float[] previousCell, float[] cell, float[] tanhCell, float[] out) {
        FloatLanes.sigmoid(gates, 0, batch * 4 * hidden);
        for (int b = 0; b < batch; b++) {
            forwardRow(hidden, gates, b * 4 * hidden, previousCell, b * hidden, cell, tanhCell, out);
        }
    }

    /** tanh(c) = 1 − 2 / (e^{2c} + 1), the same bits in every JIT tier. */
    private static FloatVector tanh(FloatVector c) {
        return c.broadcast(2f).div(LaneExp.exp(c.mul(2f)).add(1f)).neg().add(1f);
    }

    /** {@link #tanh(FloatVector)} for one value, bit for bit a lane of it. */
    private static float tanh(float c) {
        return -(2f / (LaneExp.exp(c * 2f) + 1f)) + 1f;
    }

    /** One row of {@link #forward}: gates from {@code g}, the cell and outputs from {@code s}. */
    private static void forwardRow(int hidden, float[] gates, int g, float[] previousCell, int s, float[] cell,
                                   float[] tanhCell, float[] out) {
        int j = 0;
        for (int bound = SPECIES.loopBound(hidden); j < bound; j += SPECIES.length()) {
            FloatVector a = FloatVector.fromArray(SPECIES, gates, g + j).mul(2f).sub(1f);
            FloatVector f = FloatVector.fromArray(SPECIES, gates, g + hidden + j);
            FloatVector o = FloatVector.fromArray(SPECIES, gates, g + 2 * hidden + j);
            FloatVector i = FloatVector.fromArray(SPECIES, gates, g + 3 * hidden + j);
            FloatVector c = i.mul(a);
            if (previousCell != null) {
                c = f.fma(FloatVector.fromArray(SPECIES, previousCell, s + j), c);
            }
            FloatVector tc = tanh(c);
            a.intoArray(gates, g + j);
            c.intoArray(cell, s + j);
            tc.intoArray(tanhCell, s + j);
            o.mul(tc).intoArray(out, s + j);
        }
        for (; j < hidden; j++) {
            float a = 2f * gates[g + j] - 1f;
            float c = gates[g + 3 * hidden + j] * a;
            if (previousCell != null) {
                c += gates[g + hidden + j] * previousCell[s + j];
            }
            float tc = tanh(c);
            gates[g + j] = a;
            cell[s + j] = c;
            tanhCell[s + j] = tc;
            out[s + j] = gates[g + 2 * hidden + j] * tc;
        }
    }

    /**
     * Backward: overwrites the step's gate activations {@code gates} by the gradients before each block's
     * nonlinearity, adds them to {@code dBias} ({@code [4H]}), and replaces {@code dCell} (dLoss/dc_t from the later
     * steps) by dLoss/dc_{t-1}. No transcendental functions: the derivatives come from the kept activations.
     *
     * A row whose step is padding ({@code keep} 0: its state was carried) gets zero gate gradients and leaves its
     * dCell as it is, dLoss/dc_t being dLoss/dc_{t-1}.
     *
     * @param dOut dLoss/dh_t per row; {@code previousCell} c_{t-1}, or null for the first step
     * @param keep per row from {@code keepAt}: 1 for a real step, 0 for padding; null when every row is real
     */
    static void backward(int batch, int hidden, float[] gates, float[] tanhCell, float[] dOut, float[] previousCell,
                         float[] dCell, float[] dBias, float[] keep, int keepAt) {
        for (int b = 0; b < batch; b++) {
            if (keep != null && keep[keepAt + b] == 0f) {
                java.util.Arrays.fill(gates, b * 4 * hidden, (b + 1) * 4 * hidden, 0f);
                continue;
            }
            backwardRow(hidden, gates, b * 4 * hidden, tanhCell, dOut, previousCell, b * hidden, dCell, dBias);
        }
    }

    /** One row of {@link #backward}: gates from {@code g}, the cell-sized rows from {@code s}. */
    private static void backwardRow(int hidden, float[] gates, int g, float[] tanhCell, float[] dOut, float[] previousCell,
                                    int s, float[] dCell, float[] dBias) {
        int j = 0;
        for (int bound = SPECIES.loopBound(hidden); j < bound; j += SPECIES.length()) {
            FloatVector a = FloatVector.fromArray(SPECIES, gates, g + j);
            FloatVector f = FloatVector.fromArray(SPECIES, gates, g + hidden + j);
            FloatVector o = FloatVector.fromArray(SPECIES, gates, g + 2 * hidden + j);
            FloatVector i = FloatVector.fromArray(SPECIES, gates, g + 3 * hidden + j);
            FloatVector tc = FloatVector.fromArray(SPECIES, tanhCell, s + j);
            FloatVector dh = FloatVector.fromArray(SPECIES, dOut, s + j);
            // dc = dh o (1 - tc²) + dCell
            FloatVector dc = dh.mul(o).mul(tc.mul(tc).neg().add(1f)).add(FloatVector.fromArray(SPECIES, dCell, s + j));
            FloatVector da = dc.mul(i).mul(a.mul(a).neg().add(1f));
            FloatVector df = previousCell == null ? FloatVector.zero(SPECIES)
                    : dc.mul(FloatVector.fromArray(SPECIES, previousCell, s + j)).mul(f).mul(f.neg().add(1f));
            FloatVector dO = dh.mul(tc).mul(o).mul(o.neg().add(1f));
            FloatVector di = dc.mul(a).mul(i).mul(i.neg().add(1f));
            da.intoArray(gates, g + j);
            df.intoArray(gates, g + hidden + j);
            dO.intoArray(gates, g + 2 * hidden + j);
            di.intoArray(gates, g + 3 * hidden + j);
            FloatVector.fromArray(SPECIES, dBias, j).add(da).intoArray(dBias, j);
            FloatVector.fromArray(SPECIES, dBias, hidden + j).add(df).intoArray(dBias, hidden + j);
            FloatVector.fromArray(SPECIES, dBias, 2 * hidden + j).add(dO).intoArray(dBias, 2 * hidden + j);
            FloatVector.fromArray(SPECIES, dBias, 3 * hidden + j).add(di).intoArray(dBias, 3 * hidden + j);
            dc.mul(f).intoArray(dCell, s + j);
        }
        for (; j < hidden; j++) {
            float a = gates[g + j];
            float f = gates[g + hidden + j];
            float o = gates[g + 2 * hidden + j];
            float i = gates[g + 3 * hidden + j];
            float tc = tanhCell[s + j];
            float dh = dOut[s + j];
            float dc = dh * o * (1f - tc * tc) + dCell[s + j];
            float previous = previousCell == null ? 0f : previousCell[s + j];
            float da = dc * i * (1f - a * a);
            float df = dc * previous * f * (1f - f);
            float dO = dh * tc * o * (1f - o);
            float di = dc * a * i * (1f - i);
            gates[g + j] = da;
            gates[g + hidden + j] = df;
            gates[g + 2 * hidden + j] = dO;
            gates[g + 3 * hidden + j] = di;
            dBias[j] += da;
            dBias[hidden + j] += df;
            dBias[2 * hidden + j] += dO;
            dBias[3 * hidden + j] += di;
            dCell[s + j] = dc * f;
        }
    }
}
