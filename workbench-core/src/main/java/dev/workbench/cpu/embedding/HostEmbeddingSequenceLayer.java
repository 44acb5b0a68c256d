package dev.workbench.cpu.embedding;

import dev.workbench.cpu.kernels.HostArrays;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.embedding.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's sequence embedding, except for the weight gradient of a float layer without activation or bias (how the
 * families use it): DL4J gathers the embeddings again, copies the permuted gradient and runs ND4J's scatter-add;
 * adding each step's gradient into its word's row in Java over host copies is several times cheaper. Every other
 * configuration keeps DL4J's path.
 */
final class HostEmbeddingSequenceLayer extends EmbeddingSequenceLayer {
    private float[] gradientValues = new float[0];
    private float[] wordGradients = new float[0];
    private float[] maskValues = new float[0];

    HostEmbeddingSequenceLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer conf = layerConf();
        if (hasBias() || !(conf.getActivationFn() instanceof ActivationIdentity) || epsilon.dataType() != DataType.FLOAT
                || epsilon.rank() != 3) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        boolean ncw = conf.getOutputFormat() == RNNFormat.NCW;
        int batch = (int) epsilon.size(0);
        int width = (int) (ncw ? epsilon.size(1) : epsilon.size(2));
        int steps = (int) (ncw ? epsilon.size(2) : epsilon.size(1));
        int vocabulary = (int) conf.getNIn();
        int[] words = input.reshape(batch, steps).castTo(DataType.INT).dup('c').data().asInt();
        float[] epsilonValues = HostArrays.read(epsilon, gradientBuffer(epsilon.length()));
        float[] mask = maskArray == null ? null : HostArrays.read(maskArray.castTo(DataType.FLOAT), maskBuffer(batch * steps));

        INDArray weightGrad = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        // Written as a row-major matrix: [width, vocabulary] for DL4J's column-major [vocabulary, width] view.
        boolean columnMajor = weightGrad.ordering() == 'f';
        if (wordGradients.length < vocabulary * width) {
            wordGradients = new float[vocabulary * width];
        }
        Arrays.fill(wordGradients, 0, vocabulary * width, 0f);
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < width; c++) {
                for (int t = 0; t < steps; t++) { // epsilon read in its own order: NCW runs over t, NWC over c
                    int step = b * steps + t;
                    float g = epsilonValues[ncw ? (b * width + c) * steps + t : step * width + c];
                    float weighted = mask == null ? g : g * mask[step];
                    wordGradients[columnMajor ? c * vocabulary + words[step] : words[step] * width + c] += weighted;
                }
            }
        }
        HostArrays.write(wordGradients, columnMajor ? weightGrad.transpose() : weightGrad);
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGrad);
        return new Pair<>(gradient, null);
    }

    private float[] gradientBuffer(long length) {
        if (gradientValues.length < length) {
            gradientValues = new float[Math.toIntExact(length)];
        }
        return gradientValues;
    }

    private float[] maskBuffer(int length) {
        if (maskValues.length < length) {
            maskValues = new float[length];
        }
        return maskValues;
    }
}
