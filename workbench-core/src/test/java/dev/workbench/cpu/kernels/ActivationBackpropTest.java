package dev.workbench.cpu.kernels;

import static dev.workbench.ArrayAssertions.assertClose;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The workbench's activation backprop gives each activation's own gradient, and its forward pass each activation's
 * own values, bit for bit, on pre-activations built from real digits.
 */
class ActivationBackpropTest {
    // Centred pixel values: exact zeros (the background), negatives and positives, as pre-activations are.
    private static final INDArray Z = TestWorkbench.firstRows(DatasetRegistry.builtIn().get("mnist-10k").load(
            new DatasetSpec("mnist-10k", 16, new SplitSpec(0.1, null), "scale", List.of()), 4, DataLocations.fromEnvironment()).train(), 16)
            .getFeatures().sub(0.3);
    private static final INDArray EPSILON = Z.mul(-1.7).addi(0.25);

    private static void assertSameAsOwnBackprop(IActivation activation) {
        INDArray want = activation.backprop(Z.dup(), EPSILON.dup()).getFirst();
        INDArray got = ActivationBackprop.delta(activation, Z.dup(), EPSILON.dup());
        assertClose(want, got, 0.0, activation.toString());
    }

    @Test
    void plainReluMatchesNd4j() {
        assertSameAsOwnBackprop(new ActivationReLU());
    }

    @Test
    void otherActivationsUseTheirOwnBackprop() {
        assertSameAsOwnBackprop(new ActivationReLU(0.5, 0.1, 0.0));
        assertSameAsOwnBackprop(new ActivationTanH());
    }

    @Test
    void leakyReluMatchesNd4jAlsoForAStridedGradient() {
        assertSameAsOwnBackprop(new ActivationLReLU(0.2));
        // The gradient as a transposed view (a convolution's channels-last pre-activation against an NCHW gradient).
        INDArray z = Z.dup();
        INDArray epsilon = EPSILON.dup().transpose().dup('c').transpose();
        INDArray want = new ActivationLReLU(0.2).backprop(z.dup(), epsilon.dup()).getFirst();
        assertClose(want, ActivationBackprop.delta(new ActivationLReLU(0.2), z, epsilon), 0.0, "strided gradient");
    }

    @Test
    void forwardPassMatchesNd4j() {
        for (IActivation activation : List.of(new ActivationReLU(), new ActivationLReLU(0.2), new ActivationTanH())) {
            INDArray want = activation.getActivation(Z.dup(), true);
            INDArray z = Z.dup();
            INDArray got = ActivationBackprop.activate(activation, z);
            assertClose(want, got, 0.0, activation.toString());
            assertClose(want, z, 0.0, activation + " in place");
        }
    }
}
