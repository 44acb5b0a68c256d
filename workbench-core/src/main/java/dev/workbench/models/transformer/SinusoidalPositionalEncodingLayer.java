package dev.workbench.models.transformer;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime of a {@link SinusoidalPositionalEncoding}: one broadcast add of the fixed table; the gradient passes
 * through unchanged (there are no parameters). It extends DL4J's SameDiff runtime only for its (empty) parameter
 * tables, as {@link LearnedPositionalEmbeddingLayer} does.
 */
final class SinusoidalPositionalEncodingLayer extends SameDiffLayer {
    private INDArray table;

    SinusoidalPositionalEncodingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        SinusoidalPositionalEncoding conf = (SinusoidalPositionalEncoding) layerConf();
        conf.checkShape(input.shape());
        if (table == null || table.dataType() != input.dataType()) {
            table = SinusoidalPositionalEncoding.table(input.dataType(), conf.getFeatures(), conf.getLength());
        }
        return PositionalEncoding.plusTable(input, table, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        return new Pair<>(new DefaultGradient(), workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, epsilon));
    }
}
