package dev.workbench.models.gnn;

import dev.workbench.data.graph.SparseRows;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The runtime of a {@link GraphConvolution}. Forward: {@code T = X W} (one gemm), {@code Z = Â T + b} (a pass over
 * the edges), {@code H = act(Z)}. Backward: {@code dZ = act'(Z) dH}, {@code db = Σ dZ}, {@code dT = Âᵀ dZ},
 * {@code dW = Xᵀ dT}, {@code dX = dT Wᵀ} (not in the network's first layer, whose input is the node features). The
 * input must hold every node of the attached graph, in its order.
 */
final class GraphConvolutionLayer extends NodeFeaturesLayer<GraphConvolution> {
    private SparseRows adjacency;
    private INDArray keptPreActivation;

    GraphConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public void attach(SparseRows adjacency) {
        this.adjacency = adjacency;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (adjacency == null) {
            throw new IllegalStateException("layer " + index + " (GraphConvolution): no graph attached; a graph network "
                    + "is trained and run through its NodeGraphNetwork");
        }
        if (input.rank() != 2 || input.size(0) != adjacency.size()) {
            throw new IllegalArgumentException("layer " + index + " (GraphConvolution): input " + input.shapeInfoToString()
                    + " is not [" + adjacency.size() + " nodes, features] of the attached graph");
        }
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray z = products.propagate(adjacency, projectInput(w, training, workspaceMgr), false)
                .addiRowVector(getParam(DefaultParamInitializer.BIAS_KEY));
        // Detached: the working-memory workspace that holds z is reused before backprop.
        keptPreActivation = training ? z.detach() : null;
        INDArray out = layerConf().getActivationFn().getActivation(z, training);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, out);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (keptPreActivation == null) {
            throw new IllegalStateException("layer " + index + " (GraphConvolution): backprop without a training forward pass");
        }
        INDArray z = keptPreActivation;
        INDArray dz = layerConf().getActivationFn().backprop(z, epsilon.castTo(z.dataType())).getFirst();
        INDArray weightGrad = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        INDArray biasGrad = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
        biasGrad.assign(dz.sum(0).reshape(biasGrad.shape()));
        INDArray dt = products.propagate(adjacency, dz, true);
        // input: the (dropped-out) input of the training forward pass, which DL4J keeps until backprop.
        weightGrad.assign(inputTransposeTimes(dt));
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGrad);
        gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGrad);
        keptPreActivation = null;
        if (readsNodeFeatures()) {
            return new Pair<>(gradient, null);
        }
        INDArray inputGradient = dt.mmul(getParam(DefaultParamInitializer.WEIGHT_KEY).transpose());
        return new Pair<>(gradient, inputGradient(inputGradient, workspaceMgr));
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }
}
