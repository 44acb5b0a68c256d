package dev.workbench.cpu.output;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The loss a host output layer's backward pass computed and the arrays it computed it on: DL4J asks for the score
 * of the same training step right after backprop, which is this loss while input, labels and mask are the same
 * arrays (a later call may follow a parameter update, so a layer uses it once).
 */
record ScoredBatch(INDArray input, INDArray labels, INDArray mask, double loss) {
    boolean matches(INDArray input, INDArray labels, INDArray mask) {
        return this.input == input && this.labels == labels && this.mask == mask;
    }
}
