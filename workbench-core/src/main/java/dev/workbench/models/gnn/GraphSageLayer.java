package dev.workbench.models.gnn;

import static dev.workbench.models.gnn.GraphSageParams.BIAS;
import static dev.workbench.models.gnn.GraphSageParams.NEIGHBOUR_WEIGHTS;
import static dev.workbench.models.gnn.GraphSageParams.SELF_WEIGHTS;

import dev.workbench.data.graph.SampledBlocks;
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
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The runtime of a {@link GraphSage}: {@code M = mean-of-neighbours(X)} over the edge list (self-loops of the
 * attached rows skipped), {@code Z = X Wself + M Wneighbour + b}. Backward: {@code dM = dZ Wneighbourᵀ} spread back to
 * the neighbours (the transposed mean), {@code dX = dZ Wselfᵀ + that}.
 *
 * <p>On a sampled block ({@link #runOn}) the input rows are the block's and only its first {@code outputs} rows are
 * computed, each from its sampled neighbours: the same formulas on the rows the minibatch needs.
 */
final class GraphSageLayer extends BaseLayer<GraphSage> implements GraphLayer {
    private final FloatProducts products = new FloatProducts();
    private SparseRows graphMean;
    private SampledBlocks.Block block;
    private INDArray keptMean;
    private INDArray keptPreActivation;

    GraphSageLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public void attach(SparseRows adjacency) {
        this.graphMean = meanOfNeighbours(adjacency);
        this.block = null;
    }

    /** Runs on one sampled block until {@link #runOnGraph}: input rows are its inputs, output rows its outputs. */
    void runOn(SampledBlocks.Block sampled) {
        this.block = sampled;
    }

    /** Back to the attached graph, every node in and out. */
    void runOnGraph() {
        this.block = null;
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
        if (graphMean == null && block == null) {
            throw new IllegalStateException("layer " + index + " (GraphSage): no graph attached; a graph network "
                    + "is trained and run through its NodeGraphNetwork");
        }
        SparseRows mean = neighbourMean();
        if (input.rank() != 2 || input.size(0) != mean.size()) {
            throw new IllegalArgumentException("layer " + index + " (GraphSage): input " + input.shapeInfoToString()
                    + " is not [" + mean.size() + " nodes, features] of the attached " + (block == null ? "graph"
                    : "sampled block"));
        }
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray self = getParam(SELF_WEIGHTS);
        INDArray x = input.castTo(self.dataType());
        INDArray aggregated = firstRows(products.propagate(mean, x, false));
        INDArray z = firstRows(x).mmul(self).addi(aggregated.mmul(getParam(NEIGHBOUR_WEIGHTS)))
                .addiRowVector(getParam(BIAS));
        keptMean = training ? aggregated.detach() : null;
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
        gradientViews.get(SELF_WEIGHTS).assign(firstRows(x).transpose().mmul(dz));
        gradientViews.get(NEIGHBOUR_WEIGHTS).assign(keptMean.transpose().mmul(dz));
        gradientViews.get(BIAS).assign(dz.sum(0).reshape(1, dz.size(1)));
        SparseRows mean = neighbourMean();
        INDArray inputGradient = products.propagate(mean, allRows(dz.mmul(neighbour.transpose()), mean.size()), true);
        firstRows(inputGradient).addi(dz.mmul(self.transpose()));
        Gradient gradient = new DefaultGradient();
        for (String key : GraphSageParams.INSTANCE.paramKeys(layerConf())) {
            gradient.gradientForVariable().put(key, gradientViews.get(key));
        }
        keptMean = null;
        keptPreActivation = null;
        return new Pair<>(gradient, backpropDropOutIfPresent(workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, inputGradient)));
    }

    private SparseRows neighbourMean() {
        return block == null ? graphMean : block.neighbourMean();
    }

    /** The rows this layer computes, a view of {@code rows}: all of them on the graph, a block's outputs. */
    private INDArray firstRows(INDArray rows) {
        return block == null || block.outputs() == rows.size(0) ? rows
                : rows.get(NDArrayIndex.interval(0, block.outputs()), NDArrayIndex.all());
    }

    /** {@code outputRows} below zeros up to {@code size} rows: what the transposed mean spreads back from. */
    private static INDArray allRows(INDArray outputRows, int size) {
        if (outputRows.size(0) == size) {
            return outputRows;
        }
        INDArray all = Nd4j.zeros(outputRows.dataType(), size, outputRows.size(1));
        all.get(NDArrayIndex.interval(0, outputRows.size(0)), NDArrayIndex.all()).assign(outputRows);
        return all;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }
}
