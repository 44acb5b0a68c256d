package dev.workbench.cpu.kernels;

import static dev.workbench.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The GELU kernel gives ND4J's default GELU (values and backprop) over inputs from −8 to 8, a length that leaves a
 * scalar tail, written one element into a longer array; the precise GELU and other activations get no kernel here.
 */
class SigmoidGeluTest {
    private static final int LENGTH = 1003;

    @Test
    void valuesAndGradientsAsNd4j() {
        INDArray x = Nd4j.linspace(-8, 8, LENGTH, DataType.FLOAT);
        INDArray g = Nd4j.rand(DataType.FLOAT, LENGTH).subi(0.5);
        INDArray want = new ActivationGELU().getActivation(x.dup(), true);
        INDArray wantGradient = new ActivationGELU().backprop(x.dup(), g.dup()).getFirst();
        LaneActivation gelu = LaneActivation.of(new ActivationGELU());
        assertInstanceOf(SigmoidGelu.class, gelu);
        INDArray y = Nd4j.create(DataType.FLOAT, LENGTH + 1);
        INDArray dx = Nd4j.create(DataType.FLOAT, LENGTH + 1);
        gelu.forward(x, y.get(NDArrayIndex.interval(1, LENGTH + 1)));
        gelu.backward(x, g, dx.get(NDArrayIndex.interval(1, LENGTH + 1)));
        assertClose(want, y.get(NDArrayIndex.interval(1, LENGTH + 1)), 1e-5, "GELU values");
        assertClose(wantGradient, dx.get(NDArrayIndex.interval(1, LENGTH + 1)), 1e-5, "GELU gradient");
        assertClose(Nd4j.zeros(DataType.FLOAT, 1), y.get(NDArrayIndex.interval(0, 1)), 0.0, "nothing before the offset");
    }

    @Test
    void inPlaceBackwardOverTheInput() {
        INDArray x = Nd4j.linspace(-3, 3, 64, DataType.FLOAT);
        INDArray g = Nd4j.ones(DataType.FLOAT, 64).muli(2);
        INDArray want = new ActivationGELU().backprop(x.dup(), g.dup()).getFirst();
        new SigmoidGelu().backward(x, g, x);
        assertClose(want, x, 1e-5, "dx written over x");
    }

    @Test
    void onlyTheDefaultGeluAndRectifiersHaveKernels() {
        assertNull(LaneActivation.of(new ActivationGELU(true)));
        assertNull(LaneActivation.of(new ActivationTanH()));
    }
}
