package dev.workbench.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A network that passes every call to the one it wraps: the base for networks that change one thing about how a
 * DL4J network trains or runs (a VAE's pretraining step, a graph network's attached graph).
 */
public abstract class ForwardingNetwork implements Network {
    protected final Network inner;

    protected ForwardingNetwork(Network inner) {
        this.inner = inner;
    }

    @Override
    public void fit(DataSet batch) {
        inner.fit(batch);
    }

    @Override
    public double score() {
        return inner.score();
    }

    @Override
    public Map<String, Double> scores() {
        return inner.scores();
    }

    @Override
    public INDArray output(INDArray features) {
        return inner.output(features);
    }

    @Override
    public int epochCount() {
        return inner.epochCount();
    }

    @Override
    public void incrementEpochCount() {
        inner.incrementEpochCount();
    }

    @Override
    public void save(Path file) throws IOException {
        inner.save(file);
    }

    @Override
    public long parameterCount() {
        return inner.parameterCount();
    }

    @Override
    public double learningRate() {
        return inner.learningRate();
    }

    @Override
    public Model model() {
        return inner.model();
    }

    @Override
    public String kind() {
        return inner.kind();
    }
}
