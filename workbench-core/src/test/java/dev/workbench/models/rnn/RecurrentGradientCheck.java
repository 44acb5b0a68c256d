package dev.workbench.models.rnn;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/** GradientCheckUtil in double precision over a recurrent layer and a softmax head, with a features mask. */
final class RecurrentGradientCheck {
    private static final int CLASSES = 3;

    private RecurrentGradientCheck() {
    }

    /**
     * Whether the analytic gradients of {@code layer} then {@code head} (after {@link LastStep} unless
     * {@code perStepLabels}) match finite differences on random input {@code [batch, nIn, steps]} under {@code mask}
     * {@code [batch, steps]}.
     */
    static boolean passes(Layer layer, Layer head, boolean perStepLabels, int nIn, double[][] mask) {
        int batch = mask.length;
        int steps = mask[0].length;
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.DOUBLE)
                    .updater(new NoOp()).list().layer(layer);
            if (!perStepLabels) {
                layers.layer(new LastStep());
            }
            MultiLayerNetwork net = new MultiLayerNetwork(layers.layer(head).setInputType(InputType.recurrent(nIn, steps)).build());
            net.init();
            Nd4j.getRandom().setSeed(5);
            INDArray x = Nd4j.rand(DataType.DOUBLE, batch, nIn, steps).subi(0.5);
            INDArray labels = perStepLabels ? Nd4j.zeros(DataType.DOUBLE, batch, CLASSES, steps)
                    : Nd4j.zeros(DataType.DOUBLE, batch, CLASSES);
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < (perStepLabels ? steps : 1); t++) {
                    if (perStepLabels) {
                        labels.putScalar(b, (b + t) % CLASSES, t, 1.0);
                    } else {
                        labels.putScalar(b, b % CLASSES, 1.0);
                    }
                }
            }
            return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(labels)
                    .inputMask(Nd4j.createFromArray(mask)).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8));
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }
}
