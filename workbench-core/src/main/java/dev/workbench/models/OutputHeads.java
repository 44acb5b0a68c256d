package dev.workbench.models;

import dev.workbench.data.DatasetInfo;
import dev.workbench.data.Task;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The output layer every family ends with: softmax + cross-entropy for classification, identity + MSE for
 * regression. The evaluator computes validation loss on the same terms.
 */
public final class OutputHeads {
    private OutputHeads() {
    }

    public static OutputLayer forData(DatasetInfo data) {
        boolean classification = data.task() == Task.CLASSIFICATION;
        return new OutputLayer.Builder(classification ? LossFunction.MCXENT : LossFunction.MSE)
                .activation(classification ? Activation.SOFTMAX : Activation.IDENTITY)
                .nOut(data.labels().size())
                .build();
    }
}
