package dev.workbench.cpu.rnn;

import dev.workbench.cpu.kernels.HostArrays;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * DL4J's no-peephole LSTM (gate blocks in DL4J's order: cell input a, forget f, output o, input gate i; sigmoid
 * gates, tanh cell) over a whole float sequence on the host, keeping every step's activations for backprop.
 *
 * <p>Why not DL4J's own: its M2.1 LSTM never keeps the training forward pass (it re-runs it inside backprop) and forms
 * the weight gradients one time step at a time. Here the input projection, dW, dRW and the input gradient are each one
 * gemm over all steps, each step costs one {@code [batch, H] x [H, 4H]} gemm forward and one back, and the per-element cell arithmetic is one vector pass a step ({@link LstmCellSteps}).
 *
 * <p>With a padding mask, a padded step carries the row's h and c unchanged (the workbench's
 * {@code dev.workbench.models.rnn.Lstm}), and backprop passes dLoss/dh and dLoss/dc straight through it.
 *
 * <p>Rows are time-major ({@code t * batch + b}), so one step is a contiguous row block of every buffer. The
 * buffers belong to one layer and are reused while the sequence shape stays the same.
 */
final class LstmSequence {
    private int steps;
    private int batch;
    private int hidden;
    private int inputs;
    private INDArray x;      // [T*B, nIn]
    private INDArray gates;  // [T*B, 4H] after the nonlinearities
    private INDArray cell;   // [T*B, H]
    private INDArray tanhCell;
    private INDArray out;    // [T*B, H]
    private INDArray wTwiceA;    // the weights, recurrent weights and bias with the cell input block doubled
    private INDArray rwTwiceA;
    private INDArray[] gateSteps; // per-step row views of gates, out, dGates and dOut
    private INDArray[] outSteps;
    private INDArray[] dGateSteps;
    private INDArray[] dOutSteps;
    private INDArray biasTwiceA;
    private INDArray dGates; // [T*B, 4H] gradient before the nonlinearities
    private INDArray dOut;   // [T*B, H]
    private INDArray dx;     // [T*B, nIn]
    private float[] stepGates = new float[0];
    private float[] stepCell = new float[0];   // c_t of one step
    private float[] stepOut = new float[0];    // h_t of one step
    private float[] stepRows = new float[0];   // one step's [B, H] outputs, read back to transpose them
    private float[] stepPrevCell = new float[0];
    private float[] stepPrevOut = new float[0];   // h_{t-1}, which a padded step carries
    private float[] keep;                          // per time-major row: 1 real step, 0 padding; null: all real
    private float[] stepTanh = new float[0];
    private float[] stepDh = new float[0];
    private float[] dCellNext = new float[0];
    private float[] dBias = new float[0];

    /**
     * Runs the sequence and keeps its activations.
     *
     * @param timeMajorInput {@code [T, B, nIn]} (any strides)
     * @param w {@code [nIn, 4H]}, {@code rw} {@code [H, 4H]}, {@code bias} {@code [1, 4H]}
     * @see #copyOutputsTo
     */
    void forward(INDArray timeMajorInput, INDArray w, INDArray rw, INDArray bias) {
        forward(timeMajorInput, null, w, rw, bias);
    }

    /**
     * As {@link #forward(INDArray, INDArray, INDArray, INDArray)}, a padded step carrying its row's state.
     *
     * @param keep per time-major row {@code t * B + b}: 1 for a real step, 0 for padding; null when all are real.
     *             Kept (not copied) for the backward pass.
     */
    void forward(INDArray timeMajorInput, float[] keep, INDArray w, INDArray rw, INDArray bias) {
        long[] shape = timeMajorInput.shape();
        allocate((int) shape[0], (int) shape[1], (int) shape[2], (int) rw.size(0));
        this.keep = keep;
        x.reshape(steps, batch, inputs).assign(timeMajorInput);
        doubleCellInputBlock(w, wTwiceA);
        doubleCellInputBlock(rw, rwTwiceA);
        doubleCellInputBlock(bias.reshape(1, 4L * hidden), biasTwiceA);
        Nd4j.gemm(x, wTwiceA, gates, false, false, 1.0, 0.0);
        gates.addiRowVector(biasTwiceA);
        FloatBuffer gateBuffer = gates.data().asNioFloat();
        FloatBuffer cellBuffer = cell.data().asNioFloat();
        FloatBuffer tanhBuffer = tanhCell.data().asNioFloat();
        FloatBuffer outBuffer = out.data().asNioFloat();
        int gateBlock = batch * 4 * hidden;
        int block = batch * hidden;
        for (int t = 0; t < steps; t++) {
            if (t > 0) {
                // ND4J's gemm: oneDNN's matmul, whose AVX-512 kernels outrun ND4J's OpenBLAS (AVX2 kernels) here.
                Nd4j.gemm(outSteps[t - 1], rwTwiceA, gateSteps[t], false, false, 1.0, 1.0);
                cellBuffer.get((t - 1) * block, stepPrevCell, 0, block);
            }
            gateBuffer.get(t * gateBlock, stepGates, 0, gateBlock);
            LstmCellSteps.forward(batch, hidden, stepGates, t > 0 ? stepPrevCell : null, stepCell, stepTanh, stepOut);
            if (keep != null) {
                if (t > 0) {
                    outBuffer.get((t - 1) * block, stepPrevOut, 0, block);
                }
                carryPaddedRows(t);
            }
            gateBuffer.put(t * gateBlock, stepGates, 0, gateBlock); // backprop reads a = tanh(z) back
            cellBuffer.put(t * block, stepCell, 0, block);
            tanhBuffer.put(t * block, stepTanh, 0, block);
            outBuffer.put(t * block, stepOut, 0, block);
        }
    }

    /** For each padded row of step {@code t}: c_t = c_{t-1} and h_t = h_{t-1} (0 before the first step). */
    private void carryPaddedRows(int t) {
        for (int b = 0; b < batch; b++) {
            if (keep[t * batch + b] != 0f) {
                continue;
            }
            int row = b * hidden;
            if (t > 0) {
                System.arraycopy(stepPrevCell, row, stepCell, row, hidden);
                System.arraycopy(stepPrevOut, row, stepOut, row, hidden);
            } else {
                java.util.Arrays.fill(stepCell, row, row + hidden, 0f);
                java.util.Arrays.fill(stepOut, row, row + hidden, 0f);
            }
        }
    }

    /** The last forward's hidden states {@code [T*B, H]}, time-major; valid until the next forward. */
    INDArray outputs() {
        return out;
    }

    /**
     * Copies the last forward's outputs into {@code target}, a contiguous 'f'-order {@code [B, T, H]} array: a Java
     * transpose, because ND4J's assign between the two permuted layouts is slow.
     */
    void copyOutputsTo(INDArray target) {
        if (target.ordering() != 'f' || target.rank() != 3 || target.size(0) != batch || target.size(1) != steps
                || target.size(2) != hidden || target.elementWiseStride() != 1) {
            throw new IllegalArgumentException("expected a contiguous 'f' [" + batch + ", " + steps + ", " + hidden
                    + "] array, got " + target.shapeInfoToString());
        }
        FloatBuffer from = out.data().asNioFloat();
        FloatBuffer to = target.data().asNioFloat();
        int base = (int) target.offset();
        int rows = steps * batch;
        float[] column = new float[batch];
        float[] block = stepRows;
        // One step's [B, H] rows at a time; column j of all rows is contiguous in the target.
        for (int t = 0; t < steps; t++) {
            from.get(t * batch * hidden, block, 0, batch * hidden);
            for (int j = 0; j < hidden; j++) {
                for (int b = 0; b < batch; b++) {
                    column[b] = block[b * hidden + j];
                }
                to.put(base + j * rows + t * batch, column, 0, batch);
            }
        }
    }

    /**
     * Backpropagation through the whole sequence kept by the last {@link #forward}.
     *
     * @param timeMajorEpsilon dLoss/dOutput {@code [T, B, H]} (any strides)
     * @param gradW, gradRW, gradBias where the parameter gradients go (overwritten; any order)
     * @param inputGradient whether to compute dLoss/dInput
     * @return dLoss/dInput {@code [T*B, nIn]}, time-major, valid until the next call; null when not asked for
     */
    INDArray backward(INDArray timeMajorEpsilon, INDArray w, INDArray rw, INDArray gradW, INDArray gradRW, INDArray gradBias,
                      boolean inputGradient) {
        if (dGates == null) {
            long rows = (long) steps * batch;
            dGates = HostArrays.detached(rows, 4L * hidden);
            dOut = HostArrays.detached(rows, hidden);
            dx = HostArrays.detached(rows, inputs);
            dGateSteps = stepViews(dGates);
            dOutSteps = stepViews(dOut);
        }
        dOut.reshape(steps, batch, hidden).assign(timeMajorEpsilon);
        FloatBuffer gateBuffer = gates.data().asNioFloat();
        FloatBuffer cellBuffer = cell.data().asNioFloat();
        FloatBuffer tanhBuffer = tanhCell.data().asNioFloat();
        FloatBuffer dOutBuffer = dOut.data().asNioFloat();
        FloatBuffer dGateBuffer = dGates.data().asNioFloat();
        java.util.Arrays.fill(dCellNext, 0f);
        java.util.Arrays.fill(dBias, 0f);
        int gateBlock = batch * 4 * hidden;
        int block = batch * hidden;
        for (int t = steps - 1; t >= 0; t--) {
            gateBuffer.get(t * gateBlock, stepGates, 0, gateBlock);
            tanhBuffer.get(t * block, stepTanh, 0, block);
            dOutBuffer.get(t * block, stepDh, 0, block);
            if (t > 0) {
                cellBuffer.get((t - 1) * block, stepPrevCell, 0, block);
            }
            LstmCellSteps.backward(batch, hidden, stepGates, stepTanh, stepDh, t > 0 ? stepPrevCell : null, dCellNext, dBias,
                    keep, t * batch);
            dGateBuffer.put(t * gateBlock, stepGates, 0, gateBlock);
            if (t > 0) {
                Nd4j.gemm(dGateSteps[t], rw, dOutSteps[t - 1], false, true, 1.0, 1.0); // dh_{t-1} += dz_t RWᵀ
                if (keep != null) {
                    passCarriedGradient(t, dOutBuffer);
                }
            }
        }
        Nd4j.gemm(x, dGates, gradW, true, false, 1.0, 0.0);
        if (steps > 1) {
            long split = (long) (steps - 1) * batch;
            Nd4j.gemm(out.get(NDArrayIndex.interval(0, split), NDArrayIndex.all()),
                    dGates.get(NDArrayIndex.interval(batch, split + batch), NDArrayIndex.all()), gradRW, true, false, 1.0, 0.0);
        } else {
            gradRW.assign(0);
        }
        // Summed in the loop above, instead of ND4J's strided column sum over the [T*B, 4H] buffer.
        gradBias.assign(Nd4j.createFromArray(dBias).reshape(gradBias.shape()));
        if (!inputGradient) {
            return null;
        }
        Nd4j.gemm(dGates, w, dx, false, true, 1.0, 0.0);
        return dx;
    }

    /** dh_{t-1} += dh_t for each padded row of step {@code t}, whose h_t was h_{t-1} ({@code stepDh} holds dh_t). */
    private void passCarriedGradient(int t, FloatBuffer dOutBuffer) {
        for (int b = 0; b < batch; b++) {
            if (keep[t * batch + b] != 0f) {
                continue;
            }
            int at = (t - 1) * batch * hidden + b * hidden;
            for (int j = 0; j < hidden; j++) {
                dOutBuffer.put(at + j, dOutBuffer.get(at + j) + stepDh[b * hidden + j]);
            }
        }
    }

    /**
     * {@code target} = {@code params} with the cell input block (the first H columns) doubled: exact in floating
     * point, and in column-major {@code target} that block is contiguous.
     */
    private void doubleCellInputBlock(INDArray params, INDArray target) {
        target.assign(params);
        target.get(NDArrayIndex.all(), NDArrayIndex.interval(0, hidden)).muli(2.0);
    }

    /** Each step's {@code [B, width]} row block of a time-major buffer, as views made once. */
    private INDArray[] stepViews(INDArray timeMajor) {
        INDArray[] views = new INDArray[steps];
        for (int t = 0; t < steps; t++) {
            views[t] = timeMajor.get(NDArrayIndex.interval((long) t * batch, (long) (t + 1) * batch), NDArrayIndex.all());
        }
        return views;
    }

    private void allocate(int steps, int batch, int inputs, int hidden) {
        if (x != null && steps == this.steps && batch == this.batch && inputs == this.inputs && hidden == this.hidden) {
            return;
        }
        this.steps = steps;
        this.batch = batch;
        this.inputs = inputs;
        this.hidden = hidden;
        long rows = (long) steps * batch;
        // Outside any workspace: DL4J reuses workspace memory between forward and backward.
        x = HostArrays.detached(rows, inputs);
        gates = HostArrays.detached(rows, 4L * hidden);
        cell = HostArrays.detached(rows, hidden);
        tanhCell = HostArrays.detached(rows, hidden);
        out = HostArrays.detached(rows, hidden);
        wTwiceA = HostArrays.detached('f', inputs, 4L * hidden);
        rwTwiceA = HostArrays.detached('f', hidden, 4L * hidden);
        gateSteps = stepViews(gates);
        outSteps = stepViews(out);
        biasTwiceA = HostArrays.detached('f', 1, 4L * hidden);
        dGates = null; // backward buffers: allocated by the first backward pass, so inference never holds them
        stepGates = new float[batch * 4 * hidden];
        stepCell = new float[batch * hidden];
        stepOut = new float[batch * hidden];
        stepRows = new float[batch * hidden];
        stepPrevCell = new float[batch * hidden];
        stepPrevOut = new float[batch * hidden];
        stepTanh = new float[batch * hidden];
        stepDh = new float[batch * hidden];
        dCellNext = new float[batch * hidden];
        dBias = new float[4 * hidden];
    }
}
