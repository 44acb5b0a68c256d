package dev.workbench.models.gan;

import dev.workbench.data.InputShape;
import dev.workbench.data.Rows;
import dev.workbench.job.JobFile;
import dev.workbench.job.JobSpec;
import dev.workbench.report.RunFolder;
import dev.workbench.train.SequentialNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The digit classifier a GAN's score judges images with: a finished workbench run of a sequential classifier on
 * the GAN's image shape and normalisation (examples/jobs/mnist-reference-classifier.yaml). Its softmax gives
 * p(y|x); the activations of its last hidden layer, the one feeding the softmax, are the features.
 */
final class ReferenceClassifier {
    private static final int BATCH = 500;

    private final MultiLayerNetwork net;

    ReferenceClassifier(MultiLayerNetwork net) {
        this.net = net;
    }

    /**
     * The classifier of run folder {@code runDir}, checked against the GAN's images.
     *
     * @param field what the user set, named in errors
     */
    static ReferenceClassifier load(Path runDir, InputShape images, String field) {
        RunFolder run = RunFolder.finished(runDir, field, "train examples/jobs/mnist-reference-classifier.yaml");
        JobSpec job = JobFile.load(run.jobYaml(), List.of());
        if (!"scale".equals(job.dataset().normalization())) {
            throw new IllegalArgumentException(field + ": " + runDir + " was trained with normalization "
                    + job.dataset().normalization() + "; the score feeds it pixels in [0, 1], so it must be scale");
        }
        MultiLayerNetwork net;
        try {
            net = SequentialNetwork.load(run.model()).net();
        } catch (IOException e) {
            throw new UncheckedIOException(field + ": cannot read " + run.model()
                    + " as one sequential network (a cnn or mlp classifier)", e);
        }
        try {
            net.output(Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, images.features()), false);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(field + ": " + runDir + " does not take the GAN's " + images
                    + " images: " + e.getMessage(), e);
        }
        if (net.getnLayers() < 2) {
            throw new IllegalArgumentException(field + ": " + runDir + " has no hidden layer to take features from");
        }
        return new ReferenceClassifier(net);
    }

    /** p(y|x) and the last hidden layer's activations of images in [0, 1], one row per image. */
    Outputs outputs(INDArray images) {
        List<INDArray> probabilities = new ArrayList<>();
        List<INDArray> features = new ArrayList<>();
        int n = (int) images.rows();
        for (int start = 0; start < n; start += BATCH) {
            List<INDArray> activations = net.feedForward(Rows.range(images, start, Math.min(n, start + BATCH)), false);
            probabilities.add(activations.get(net.getnLayers()));
            features.add(flat(activations.get(net.getnLayers() - 1)));
        }
        return new Outputs(Nd4j.vstack(probabilities), Nd4j.vstack(features));
    }

    private static INDArray flat(INDArray activations) {
        return activations.rank() == 2 ? activations : activations.reshape('c', activations.size(0), -1);
    }

    record Outputs(INDArray probabilities, INDArray features) {
    }
}
