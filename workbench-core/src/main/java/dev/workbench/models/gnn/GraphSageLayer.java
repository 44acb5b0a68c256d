package dev.workbench.models.gnn;

import static dev.workbench.models.gnn.GraphSageParams.BIAS;
import static dev.workbench.models.gnn.GraphSageParams.NEIGHBOUR_WEIGHTS;
import static dev.workbench.models.gnn.GraphSageParams.SELF_WEIGHTS;

import dev.workbench.data.graph.SparseRows;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime of a {@link GraphSage}: {@code M = mean-of-neighbours(X)} over the edge list (self-loops of the
 * attached rows skipped), {@code Z = X Wself + M Wneighbour + b}. Backward: {@code dM = dZ Wneighbourᵀ} spread back to
 * the neighbours (the transposed mean), {@code dX = dZ Wselfᵀ + that}.
 */
final class GraphSageLayer extends BaseLayer<GraphSage> implements GraphLayer {
    private SparseRows neighbourMean;
    private INDArray keptMean;
    private INDArray keptPreActivation;

    GraphSageLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public void attach(SparseRows adjacency) {
        this.neighbourMean = meanOfNeighbours(adjacency);
    }

    /** Row i of the result averages i's neighbours: the attached rows without their diagonal, each row summing to 1. */
    static SparseRows meanOfNeighbours(SparseRows adjacency) {
        int n = adjacency.size();
        int[] rowStart = new int[n + 1];
        int[] columns = new int[adjacency.entries()];
        double[] weights = new double[adjacency.entries()];
        int k = 0;
        for (int i = 0; i < n; i++) {
            int first = k;
            for (int e = adjacency.rowStart()[i]; e < adjacency.rowStart()[i + 1]; e++) {
                if (adjacency.columns()[e] != i) {
                    columns[k++] = adjacency.columns()[e];
                }
            }
            for (int e = first; e < k; e++) {
                weights[e] = 1.0 / (k - first);
            }
            rowStart[i + 1] = k;
        }
        return new SparseRows(n, rowStart, java.util.Arrays.copyOf(columns, k), java.util.Arrays.copyOf(weights, k));
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (neighbourMean == null) {
            throw new IllegalStateException("layer " + index + " (GraphSage): no graph attached; a graph network "
                    + "is trained and run through its NodeGraphNetwork");
        }
        if (input.rank() != 2 || input.size(0) != neighbourMean.size()) {
            throw new IllegalArgumentException("layer " + index + " (GraphSage): input " + input.shapeInfoToString()
                    + " is not [" + neighbourMean.size() + " nodes, features] of the attached graph");
        }
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray self = getParam(SELF_WEIGHTS);
        INDArray x = input.castTo(self.dataType());
        INDArray mean = neighbourMean.times(x, false);
        INDArray z = x.mmul(self).addi(mean.mmul(getParam(NEIGHBOUR_WEIGHTS))).addiRowVector(getParam(BIAS));
        keptMean = training ? mean.detach() : null;
        keptPreActivation = training ? z.detach() : null;
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, layerConf().getActivationFn().getActivation(z, training));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (keptPreActivation == null) {
            throw new IllegalStateException("layer " + index + " (GraphSage): backprop without a training forward pass");
        }
        INDArray dz = layerConf().getActivationFn().backprop(keptPreActivation,
                epsilon.castTo(keptPreActivation.dataType())).getFirst();
        INDArray self = getParam(SELF_WEIGHTS);
        INDArray neighbour = getParam(NEIGHBOUR_WEIGHTS);
        INDArray x = input.castTo(self.dataType());
        gradientViews.get(SELF_WEIGHTS).assign(x.transpose().mmul(dz));
        gradientViews.get(NEIGHBOUR_WEIGHTS).assign(keptMean.transpose().mmul(dz));
        gradientViews.get(BIAS).assign(dz.sum(0).reshape(1, dz.size(1)));
        INDArray inputGradient = dz.mmul(self.transpose()).addi(neighbourMean.times(dz.mmul(neighbour.transpose()), true));
        Gradient gradient = new DefaultGradient();
        for (String key : GraphSageParams.INSTANCE.paramKeys(layerConf())) {
            gradient.gradientForVariable().put(key, gradientViews.get(key));
        }
        keptMean = null;
        keptPreActivation = null;
        return new Pair<>(gradient, backpropDropOutIfPresent(workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, inputGradient)));
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }
}
