package dev.workbench.cpu.kernels;

import static dev.workbench.ArrayAssertions.assertClose;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LayerNorm;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LayerNormBp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The vector-API layer norm computes libnd4j's {@code layer_norm} and its backprop (run in double precision as the
 * reference) on rows cut from real digits, 100 wide so that the scalar tail after the vector lanes runs as well.
 */
class LayerNormRowsTest {
    private static final int WIDTH = 100;
    private static final INDArray PIXELS = TestWorkbench.firstRows(DatasetRegistry.builtIn().get("mnist-10k").load(
            new DatasetSpec("mnist-10k", 32, new SplitSpec(0.1, null), "scale", List.of()), 4, DataLocations.fromEnvironment()).train(), 32)
            .getFeatures().castTo(DataType.DOUBLE);
    // The middle of each digit (never a constant row), and the other digits' middles as an incoming gradient.
    private static final INDArray X = PIXELS.get(NDArrayIndex.interval(0, 16), NDArrayIndex.interval(340, 340 + WIDTH)).dup();
    private static final INDArray D_OUT = PIXELS.get(NDArrayIndex.interval(16, 32), NDArrayIndex.interval(340, 340 + WIDTH)).sub(0.4);
    private static final INDArray GAIN = Nd4j.linspace(0.5, 1.5, WIDTH, DataType.DOUBLE);
    private static final INDArray BIAS = Nd4j.linspace(-0.2, 0.2, WIDTH, DataType.DOUBLE);

    private static float[] floats(INDArray array) {
        return array.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    private static INDArray matrix(float[] values) {
        return Nd4j.create(values, new long[]{values.length / WIDTH, WIDTH}, 'c');
    }

    @Test
    void forwardMatchesLibnd4j() {
        INDArray want = X.ulike();
        Nd4j.exec(new LayerNorm(X, GAIN, BIAS, want, false, 1));
        float[] got = new float[(int) X.length()];
        new LayerNormRows(WIDTH).forward(floats(X), (int) X.size(0), floats(GAIN), floats(BIAS), got);
        assertClose(want, matrix(got), 1e-5, "layer norm");
    }

    @Test
    void backwardMatchesLibnd4j() {
        INDArray dx = X.ulike();
        INDArray dGain = GAIN.ulike();
        INDArray dBias = BIAS.ulike();
        Nd4j.exec(new LayerNormBp(X, GAIN, BIAS, D_OUT, dx, dGain, dBias, false, 1));

        LayerNormRows norm = new LayerNormRows(WIDTH);
        norm.forward(floats(X), (int) X.size(0), floats(GAIN), floats(BIAS), new float[(int) X.length()]);
        float[] gotDx = floats(D_OUT); // in place, as the encoder block calls it
        float[] gotGain = new float[WIDTH];
        float[] gotBias = new float[WIDTH];
        norm.backward(gotDx, floats(GAIN), gotDx, gotGain, gotBias);
        assertClose(dx, matrix(gotDx), 1e-4, "dLoss/dx");
        assertClose(dGain, Nd4j.create(gotGain), 1e-5, "dLoss/dgain");
        assertClose(dBias, Nd4j.create(gotBias), 1e-5, "dLoss/dbias");
    }
}
