package dev.workbench.cpu.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The GELU that keeps its forward pass's sigmoids gives {@link SigmoidGelu}'s values and gradients to the last bit
 * (over −8..8, a length with a scalar tail, the gradient written over the input as the encoder block does), and
 * refuses a backward pass over other elements than its forward pass saw.
 */
class KeptSigmoidGeluTest {
    private static final int LENGTH = 1003;

    @Test
    void sameBitsAsTheGeluThatRecomputes() {
        INDArray x = Nd4j.linspace(-8, 8, LENGTH, DataType.FLOAT);
        INDArray g = Nd4j.rand(DataType.FLOAT, LENGTH).subi(0.5);
        INDArray want = Nd4j.create(DataType.FLOAT, LENGTH);
        INDArray wantGradient = Nd4j.create(DataType.FLOAT, LENGTH);
        new SigmoidGelu().forward(x, want);
        new SigmoidGelu().backward(x, g, wantGradient);

        KeptSigmoidGelu gelu = new KeptSigmoidGelu();
        INDArray y = Nd4j.create(DataType.FLOAT, LENGTH);
        INDArray input = x.dup();
        gelu.forward(input, y);
        gelu.backward(input, g, input);
        assertArrayEquals(want.toFloatVector(), y.toFloatVector(), "values");
        assertArrayEquals(wantGradient.toFloatVector(), input.toFloatVector(), "gradient, written over the input");
    }

    @Test
    void backwardNeedsTheForwardPassOfTheSameElements() {
        KeptSigmoidGelu gelu = new KeptSigmoidGelu();
        INDArray x = Nd4j.linspace(-1, 1, 64, DataType.FLOAT);
        assertThrows(IllegalStateException.class, () -> gelu.backward(x, x.dup(), x.dup()));
        gelu.forward(x, x.dup());
        INDArray shorter = Nd4j.linspace(-1, 1, 32, DataType.FLOAT);
        assertThrows(IllegalStateException.class, () -> gelu.backward(shorter, shorter.dup(), shorter.dup()));
    }
}
