package dev.workbench.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.report.RunEnvironment;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.junit.jupiter.api.Test;

/**
 * The build runs DL4J with its oneDNN layer helpers (natives -onednn-avx2, helpers enabled, and the
 * org.nd4j.nativeblas.Nd4jCpu shim for DL4J M2.1's wrong class lookup). Without them convolutions fall back
 * to DL4J's much slower im2col path: this guards the configuration, not a timing.
 */
class OneDnnHelpersTest {
    @Test
    void dl4jSeesOneDnn() {
        assertTrue(BaseMKLDNNHelper.mklDnnEnabled(),
                "DL4J's oneDNN helpers are off: check -Djavacpp.platform.extension=-onednn-avx2, "
                        + "-Dorg.eclipse.deeplearning4j.helpers.disable=false and the Nd4jCpu shim");
    }

    @Test
    void runEnvironmentRecordsTheKernels() {
        String kernels = RunEnvironment.current().kernels();
        assertTrue(kernels.startsWith("oneDNN helpers on, natives ") && kernels.endsWith("-onednn-avx2"), kernels);
    }
}
