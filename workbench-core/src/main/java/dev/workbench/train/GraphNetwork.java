package dev.workbench.train;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J {@link ComputationGraph} with one input, seen as a {@link Network}. Its first output is the
 * prediction; any further outputs are auxiliary loss terms (e.g. an activity penalty) trained toward zero
 * targets, so {@link #fit} feeds them zeros and {@link #output} returns the first output only.
 */
public final class GraphNetwork implements Network {
    public static final String KIND = "ComputationGraph";
    private final ComputationGraph graph;
    private long[] outputWidths;

    public GraphNetwork(ComputationGraph graph) {
        this.graph = graph;
    }

    public ComputationGraph graph() {
        return graph;
    }

    public static GraphNetwork load(Path file) throws IOException {
        return new GraphNetwork(ModelSerializer.restoreComputationGraph(file.toFile(), true));
    }

    @Override
    public void fit(DataSet batch) {
        int outputs = graph.getNumOutputArrays();
        if (outputs == 1) {
            graph.fit(batch);
            return;
        }
        if (outputWidths == null) {
            // Widths of the auxiliary outputs, read once from a one-example forward pass.
            outputWidths = java.util.Arrays.stream(graph.output(false, batch.getFeatures().getRows(0)))
                    .mapToLong(INDArray::columns).toArray();
        }
        INDArray[] labels = new INDArray[outputs];
        labels[0] = batch.getLabels();
        for (int i = 1; i < outputs; i++) {
            labels[i] = Nd4j.zeros(batch.getFeatures().dataType(), batch.numExamples(), outputWidths[i]);
        }
        graph.fit(new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{batch.getFeatures()}, labels));
    }

    @Override
    public double score() {
        return graph.score();
    }

    @Override
    public INDArray output(INDArray features) {
        return graph.output(false, features)[0];
    }

    @Override
    public int epochCount() {
        return graph.getEpochCount();
    }

    @Override
    public void incrementEpochCount() {
        graph.incrementEpochCount();
    }

    @Override
    public void save(Path file) throws IOException {
        ModelSerializer.writeModel(graph, file.toFile(), true);
    }

    @Override
    public long parameterCount() {
        return graph.numParams();
    }

    @Override
    public double learningRate() {
        for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
            Double lr = graph.getLearningRate(layer.conf().getLayer().getLayerName());
            if (lr != null) {
                return lr;
            }
        }
        return Double.NaN;
    }

    @Override
    public Network rebuilt(Model model) {
        return new GraphNetwork((ComputationGraph) model);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Model model() {
        return graph;
    }
}
