package dev.workbench.cpu.kernels;

import static dev.workbench.ArrayAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The rectifier kernels give ND4J's own ReLU and LeakyReLU values and gradients bit for bit, over a length that is no
 * multiple of the vector width (so the scalar tail runs) with exact zeros, negatives and positives, also with a
 * dense layer's bias added in the same pass; activations that are not a plain rectifier have none.
 */
class RectifierTest {
    private static final int LENGTH = 1003;

    private static float[] values(float scale, float shift) {
        float[] x = new float[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            x[i] = ((i % 7) - 3) * scale + shift; // -3, ..., 0, ..., 3 times the scale
        }
        return x;
    }

    private static void assertSameAsNd4j(IActivation activation) {
        float[] x = values(0.25f, 0f);
        float[] g = values(-0.7f, 0.1f);
        INDArray want = activation.getActivation(Nd4j.createFromArray(x), true);
        INDArray wantGradient = activation.backprop(Nd4j.createFromArray(x), Nd4j.createFromArray(g)).getFirst();
        Rectifier rectifier = Rectifier.of(activation);
        // Views one element into longer arrays: the byte offsets are honoured.
        INDArray xs = Nd4j.createFromArray(x);
        INDArray y = Nd4j.create(DataType.FLOAT, LENGTH + 1);
        INDArray dx = Nd4j.create(DataType.FLOAT, LENGTH + 1);
        rectifier.forward(bytes(xs), 0, bytes(y), Float.BYTES, LENGTH);
        rectifier.backward(bytes(xs), 0, bytes(Nd4j.createFromArray(g)), 0, bytes(dx), Float.BYTES, LENGTH);
        assertClose(want, y.get(NDArrayIndex.interval(1, LENGTH + 1)), 0.0, activation + " values");
        assertClose(wantGradient, dx.get(NDArrayIndex.interval(1, LENGTH + 1)), 0.0, activation + " gradient");
        assertEquals(0f, y.getFloat(0), "nothing written before the offset");
    }

    private static ByteBuffer bytes(INDArray array) {
        return array.data().asNio().order(ByteOrder.nativeOrder());
    }

    @Test
    void reluAsNd4j() {
        assertSameAsNd4j(new ActivationReLU());
    }

    @Test
    void leakyReluAsNd4j() {
        assertSameAsNd4j(new ActivationLReLU(0.2));
        assertSameAsNd4j(new ActivationLReLU());
    }

    @Test
    void biasAndActivationInOnePassAsNd4jsOps() {
        // 7 rows of 1,003 columns (no multiple of the vector width), the bias a view inside a longer row.
        float[] columns = values(0.25f, 0f);
        INDArray z = Nd4j.create(DataType.FLOAT, 7, LENGTH);
        for (int r = 0; r < 7; r++) {
            z.getRow(r).assign(Nd4j.createFromArray(columns).mul(r - 3));
        }
        INDArray biasRow = Nd4j.createFromArray(values(-0.1f, 0.05f));
        INDArray bias = Nd4j.concat(0, Nd4j.createFromArray(9f), biasRow).get(NDArrayIndex.interval(1, LENGTH + 1)).reshape(1, LENGTH);
        for (IActivation activation : new IActivation[]{new ActivationReLU(), new ActivationLReLU(0.2)}) {
            INDArray wantZ = z.dup().addiRowVector(biasRow);
            INDArray want = activation.getActivation(wantZ.dup(), true);
            INDArray gotZ = z.dup();
            INDArray got = Nd4j.create(DataType.FLOAT, 7, LENGTH);
            Rectifier.of(activation).forwardWithBias(gotZ, bias, got);
            assertClose(wantZ, gotZ, 0.0, activation + " pre-activation");
            assertClose(want, got, 0.0, activation + " values");
        }
    }

    @Test
    void onlyPlainRectifiersHaveOne() {
        assertNotNull(Rectifier.of(new ActivationReLU(null, 0.0, 0.0)));
        assertNull(Rectifier.of(new ActivationReLU(6.0, 0.0, 0.0)));
        assertNull(Rectifier.of(new ActivationReLU(null, 0.5, 0.0)));
        assertNull(Rectifier.of(new ActivationTanH()));
    }
}
