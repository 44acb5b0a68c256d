package dev.workbench.models.gnn;

import static dev.workbench.models.gnn.GraphAttentionParams.BIAS;
import static dev.workbench.models.gnn.GraphAttentionParams.NEIGHBOUR_ATTENTION;
import static dev.workbench.models.gnn.GraphAttentionParams.SELF_ATTENTION;
import static dev.workbench.models.gnn.GraphAttentionParams.WEIGHTS;

import dev.workbench.data.graph.SparseRows;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime of a {@link GraphAttention}: the projection is one gemm; scores, the softmax over each neighbourhood,
 * attention dropout and the weighted sums run over the edges (one pass per head), and backprop retraces them from
 * what the training forward pass kept; the network's first layer computes no input gradient (its input is the node
 * features). The input must hold every node of the attached graph, in its order.
 */
final class GraphAttentionLayer extends NodeFeaturesLayer<GraphAttention> {
    private SparseRows neighbourhoods;
    // Kept from the training forward pass: projections, raw scores, attention (after dropout) and the dropout mask.
    private double[] projected;
    private double[] scores;
    private double[] attention;
    private double[] keptAttention;
    private INDArray keptPreActivation;
    // Float networks' attention (its buffers kept from epoch to epoch), and whether the last pass ran it.
    private FloatAttention floatAttention;
    private FloatAttention floatPass;
    private final EluLanes elu = new EluLanes();

    GraphAttentionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public void attach(SparseRows adjacency) {
        this.neighbourhoods = adjacency;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (neighbourhoods == null) {
            throw new IllegalStateException("layer " + index + " (GraphAttention): no graph attached; a graph network "
                    + "is trained and run through its NodeGraphNetwork");
        }
        if (input.rank() != 2 || input.size(0) != neighbourhoods.size()) {
            throw new IllegalArgumentException("layer " + index + " (GraphAttention): input " + input.shapeInfoToString()
                    + " is not [" + neighbourhoods.size() + " nodes, features] of the attached graph");
        }
        GraphAttention conf = layerConf();
        int n = neighbourhoods.size();
        int heads = conf.getHeads();
        int width = (int) conf.headWidth();
        INDArray w = getParam(WEIGHTS);
        INDArray projections = projectInput(w, training, workspaceMgr);
        floatPass = null;
        if (w.dataType() == DataType.FLOAT) {
            if (floatAttention == null || !floatAttention.fits(conf, neighbourhoods)) {
                floatAttention = new FloatAttention(conf, neighbourhoods);
            }
            floatPass = floatAttention;
            SplittableRandom random = training && conf.getAttentionDropout() > 0
                    ? new SplittableRandom(Nd4j.getRandom().nextLong()) : null;
            INDArray z = floatPass.forward(projections, getParam(SELF_ATTENTION), getParam(NEIGHBOUR_ATTENTION),
                    training, random).addiRowVector(getParam(BIAS));
            return activated(z, training, workspaceMgr);
        }
        projected = doubles(projections);
        double[] aSelf = doubles(getParam(SELF_ATTENTION));
        double[] aNeighbour = doubles(getParam(NEIGHBOUR_ATTENTION));
        int[] rowStart = neighbourhoods.rowStart();
        int[] columns = neighbourhoods.columns();
        int entries = columns.length;
        double[] self = headDots(projected, aSelf, n, heads, width);
        double[] neighbour = headDots(projected, aNeighbour, n, heads, width);
        scores = new double[entries * heads];
        attention = new double[entries * heads];
        keptAttention = new double[entries * heads];
        double keep = 1.0 - conf.getAttentionDropout();
        boolean drop = training && conf.getAttentionDropout() > 0;
        double slope = conf.getNegativeSlope();
        // One ND4J draw seeds the layer's dropout stream: a JNI call per coefficient (106 thousand on Cora's first
        // layer) cost more than the attention itself. The decisions are the float path's, coefficient for coefficient.
        KeepDraws draws = drop ? new KeepDraws(keep).draw(entries * heads, new SplittableRandom(Nd4j.getRandom().nextLong()))
                : null;
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < heads; k++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                    double s = self[i * heads + k] + neighbour[columns[e] * heads + k];
                    scores[e * heads + k] = s;
                    max = Math.max(max, s > 0 ? s : slope * s);
                }
                double sum = 0;
                for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                    double s = scores[e * heads + k];
                    double a = Math.exp((s > 0 ? s : slope * s) - max);
                    attention[e * heads + k] = a;
                    sum += a;
                }
                for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                    attention[e * heads + k] /= sum;
                    double used = attention[e * heads + k];
                    if (drop) {
                        used = draws.kept(e * heads + k) == 1 ? used / keep : 0.0;
                    }
                    keptAttention[e * heads + k] = used;
                }
            }
        }
        int outWidth = (int) conf.getNOut();
        double[] out = new double[n * outWidth];
        double scale = conf.isConcat() ? 1.0 : 1.0 / heads;
        for (int i = 0; i < n; i++) {
            for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                int j = columns[e];
                for (int k = 0; k < heads; k++) {
                    double a = keptAttention[e * heads + k] * scale;
                    int to = i * outWidth + (conf.isConcat() ? k * width : 0);
                    int from = (j * heads + k) * width;
                    for (int f = 0; f < width; f++) {
                        out[to + f] += a * projected[from + f];
                    }
                }
            }
        }
        INDArray z = array(out, n, outWidth, w.dataType()).addiRowVector(getParam(BIAS));
        return activated(z, training, workspaceMgr);
    }

    private INDArray activated(INDArray z, boolean training, LayerWorkspaceMgr workspaceMgr) {
        keptPreActivation = training ? z.detach() : null;
        IActivation activation = layerConf().getActivationFn();
        INDArray activated = EluLanes.applies(activation, z) ? elu.activate(activation, z)
                : activation.getActivation(z, training);
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, activated);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (keptPreActivation == null) {
            throw new IllegalStateException("layer " + index + " (GraphAttention): backprop without a training forward pass");
        }
        GraphAttention conf = layerConf();
        int outWidth = (int) conf.getNOut();
        IActivation activation = conf.getActivationFn();
        INDArray dz = EluLanes.applies(activation, keptPreActivation)
                ? elu.backprop(activation, keptPreActivation, epsilon.castTo(DataType.FLOAT))
                : activation.backprop(keptPreActivation, epsilon.castTo(keptPreActivation.dataType())).getFirst();
        INDArray w = getParam(WEIGHTS);
        INDArray dT = floatPass != null
                ? floatPass.backward(dz, gradientViews.get(SELF_ATTENTION), gradientViews.get(NEIGHBOUR_ATTENTION))
                : referenceBackward(dz, w.dataType());
        gradientViews.get(WEIGHTS).assign(inputTransposeTimes(dT));
        gradientViews.get(BIAS).assign(dz.sum(0).reshape(1, outWidth));
        Gradient gradient = new DefaultGradient();
        for (String key : GraphAttentionParams.INSTANCE.paramKeys(conf)) {
            gradient.gradientForVariable().put(key, gradientViews.get(key));
        }
        keptPreActivation = null;
        if (readsNodeFeatures()) {
            return new Pair<>(gradient, null);
        }
        INDArray inputGradient = dT.mmul(w.transpose());
        return new Pair<>(gradient, inputGradient(inputGradient, workspaceMgr));
    }

    /**
     * The projections' gradient in the plain double loops (double networks; the float pass's reference), writing
     * the attention vectors' gradients into their views.
     */
    private INDArray referenceBackward(INDArray dz, DataType type) {
        GraphAttention conf = layerConf();
        int n = neighbourhoods.size();
        int heads = conf.getHeads();
        int width = (int) conf.headWidth();
        int outWidth = (int) conf.getNOut();
        double[] dOut = doubles(dz);
        double[] aSelf = doubles(getParam(SELF_ATTENTION));
        double[] aNeighbour = doubles(getParam(NEIGHBOUR_ATTENTION));
        int[] rowStart = neighbourhoods.rowStart();
        int[] columns = neighbourhoods.columns();
        double scale = conf.isConcat() ? 1.0 : 1.0 / heads;
        double slope = conf.getNegativeSlope();
        double[] dProjected = new double[projected.length];
        double[] dSelf = new double[n * heads];
        double[] dNeighbour = new double[n * heads];
        double[] dAttention = new double[attention.length];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < heads; k++) {
                int at = i * outWidth + (conf.isConcat() ? k * width : 0);
                for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                    int from = (columns[e] * heads + k) * width;
                    double dUsed = 0;
                    double a = keptAttention[e * heads + k] * scale;
                    for (int f = 0; f < width; f++) {
                        dUsed += dOut[at + f] * projected[from + f];
                        dProjected[from + f] += a * dOut[at + f];
                    }
                    // Through the dropout: the kept coefficient is α·mask/keep, so its ratio to α is the factor.
                    double alpha = attention[e * heads + k];
                    double factor = alpha > 0 ? keptAttention[e * heads + k] / alpha : 0.0;
                    dAttention[e * heads + k] = dUsed * scale * factor;
                }
                double weighted = 0;
                for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                    weighted += attention[e * heads + k] * dAttention[e * heads + k];
                }
                for (int e = rowStart[i]; e < rowStart[i + 1]; e++) {
                    double dScore = attention[e * heads + k] * (dAttention[e * heads + k] - weighted);
                    double s = scores[e * heads + k];
                    double dRaw = dScore * (s > 0 ? 1.0 : slope);
                    dSelf[i * heads + k] += dRaw;
                    dNeighbour[columns[e] * heads + k] += dRaw;
                }
            }
        }
        double[] dASelf = new double[heads * width];
        double[] dANeighbour = new double[heads * width];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < heads; k++) {
                int row = (i * heads + k) * width;
                for (int f = 0; f < width; f++) {
                    dASelf[k * width + f] += dSelf[i * heads + k] * projected[row + f];
                    dANeighbour[k * width + f] += dNeighbour[i * heads + k] * projected[row + f];
                    dProjected[row + f] += dSelf[i * heads + k] * aSelf[k * width + f]
                            + dNeighbour[i * heads + k] * aNeighbour[k * width + f];
                }
            }
        }
        gradientViews.get(SELF_ATTENTION).assign(Nd4j.createFromArray(dASelf).reshape(1, heads * width));
        gradientViews.get(NEIGHBOUR_ATTENTION).assign(Nd4j.createFromArray(dANeighbour).reshape(1, heads * width));
        return array(dProjected, n, heads * width, type);
    }

    /**
     * The attention of {@code node} over its neighbourhood in the last forward pass (run one in inference mode
     * first): {@code weights[head][k]} for neighbour {@code neighbours[k]}, each head's weights summing to 1.
     */
    NodeAttention attentionOf(int node) {
        if (attention == null && floatPass == null) {
            throw new IllegalStateException("layer " + index + " (GraphAttention): no forward pass has run");
        }
        int heads = layerConf().getHeads();
        int first = neighbourhoods.rowStart()[node];
        int last = neighbourhoods.rowStart()[node + 1];
        int[] neighbours = java.util.Arrays.copyOfRange(neighbourhoods.columns(), first, last);
        double[][] weights = new double[heads][last - first];
        for (int k = 0; k < heads; k++) {
            for (int e = first; e < last; e++) {
                weights[k][e - first] = floatPass != null ? floatPass.attention(e, k) : attention[e * heads + k];
            }
        }
        return new NodeAttention(node, index, neighbours, weights);
    }

    /** {@code Σ_f projected[i, k, f] · a[k, f]} for every node and head. */
    private static double[] headDots(double[] projected, double[] a, int n, int heads, int width) {
        double[] dots = new double[n * heads];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < heads; k++) {
                double sum = 0;
                int row = (i * heads + k) * width;
                for (int f = 0; f < width; f++) {
                    sum += projected[row + f] * a[k * width + f];
                }
                dots[i * heads + k] = sum;
            }
        }
        return dots;
    }

    /**
     * The entries of {@code array} in row-major order as doubles, a float array widened here: ND4J's cast to double
     * and its element-wise buffer reads cost more than the attention's arithmetic on Cora.
     */
    private static double[] doubles(INDArray array) {
        if (array.dataType() != DataType.FLOAT) {
            return array.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        }
        float[] values = array.dup('c').data().asFloat();
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** {@code values} as a row-major {@code [rows, columns]} array of {@code type}, narrowed here for float. */
    private static INDArray array(double[] values, int rows, int columns, DataType type) {
        if (type != DataType.FLOAT) {
            return Nd4j.create(values, new long[]{rows, columns}, 'c').castTo(type);
        }
        float[] narrowed = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            narrowed[i] = (float) values[i];
        }
        return Nd4j.create(narrowed, new long[]{rows, columns}, 'c');
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }
}
