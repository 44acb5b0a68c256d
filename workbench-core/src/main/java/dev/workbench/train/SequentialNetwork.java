package dev.workbench.train;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** A DL4J {@link MultiLayerNetwork} seen as a {@link Network}. */
public record SequentialNetwork(MultiLayerNetwork net) implements Network {
    public static final String KIND = "MultiLayerNetwork";

    public SequentialNetwork {
        if (net.getLayers() != null) {
            for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
                if (layer instanceof NetworkLinkedLayer linked) {
                    linked.link(net);
                }
            }
        }
    }

    public static SequentialNetwork load(Path file) throws IOException {
        return new SequentialNetwork(ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true));
    }

    @Override
    public void fit(DataSet batch) {
        net.fit(batch);
    }

    @Override
    public double score() {
        return net.score();
    }

    @Override
    public INDArray output(INDArray features) {
        return net.output(features, false);
    }

    @Override
    public int epochCount() {
        return net.getEpochCount();
    }

    @Override
    public void incrementEpochCount() {
        net.incrementEpochCount();
    }

    @Override
    public void save(Path file) throws IOException {
        ModelSerializer.writeModel(net, file.toFile(), true);
    }

    @Override
    public long parameterCount() {
        return net.numParams();
    }

    @Override
    public double learningRate() {
        for (int i = 0; i < net.getnLayers(); i++) {
            Double lr = net.getLearningRate(i);
            if (lr != null) {
                return lr;
            }
        }
        return Double.NaN;
    }

    @Override
    public Network rebuilt(Model model) {
        return new SequentialNetwork((MultiLayerNetwork) model);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Model model() {
        return net;
    }
}
