package dev.workbench.train;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** A DL4J {@link ComputationGraph} with one input and one output, seen as a {@link Network}. */
public record GraphNetwork(ComputationGraph graph) implements Network {

    public static GraphNetwork load(Path file) throws IOException {
        return new GraphNetwork(ModelSerializer.restoreComputationGraph(file.toFile(), true));
    }

    @Override
    public void fit(DataSet batch) {
        graph.fit(batch);
    }

    @Override
    public double score() {
        return graph.score();
    }

    @Override
    public INDArray output(INDArray features) {
        return graph.outputSingle(false, features);
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
    public Model model() {
        return graph;
    }
}
