package dev.workbench.models.transformer;

import dev.workbench.data.sequence.Vocabulary;
import dev.workbench.report.RunFolder;
import dev.workbench.train.ModelArchive;
import dev.workbench.train.ModelManifest;
import dev.workbench.train.SequentialNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The encoder of a finished {@code bert-mlm} run: its embedding, positions and blocks, every layer with weights
 * but the vocabulary softmax. A classifier over the same vocabulary and stack starts from them, layer by layer.
 */
final class PretrainedEncoder {
    static final String FIELD = "model.hyperparameters.pretrained_run";

    private final Path runDir;
    private final MultiLayerNetwork net;
    private final List<String> vocabulary;

    private PretrainedEncoder(Path runDir, MultiLayerNetwork net, List<String> vocabulary) {
        this.runDir = runDir;
        this.net = net;
        this.vocabulary = vocabulary;
    }

    /** The pre-trained model of run folder {@code runDir}, or an error naming {@link #FIELD} and what is wrong. */
    static PretrainedEncoder load(Path runDir) {
        RunFolder run = RunFolder.finished(runDir, FIELD, "train examples/jobs/sentiment-bert-pretrain.yaml");
        ModelManifest manifest = ModelArchive.manifest(run.model());
        if (!manifest.architecture().equals("bert-mlm")) {
            throw new IllegalArgumentException(FIELD + ": " + runDir + " holds a " + manifest.family() + "/"
                    + manifest.architecture() + " model; a classifier starts from a transformer/bert-mlm run");
        }
        try {
            List<String> vocabulary = ModelArchive.vocabulary(run.model()).orElseThrow(() -> new IllegalArgumentException(
                    FIELD + ": " + run.model() + " has no vocabulary inside; train its job again"));
            return new PretrainedEncoder(runDir, SequentialNetwork.load(run.model()).net(), vocabulary);
        } catch (IOException e) {
            throw new IllegalArgumentException(FIELD + ": cannot read " + run.model() + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Refuses data whose ids mean other words than in pre-training: another dataset, split seed or fractions give
     * another vocabulary (and could put the classifier's test sentences in the pre-training text).
     */
    void checkVocabulary(Vocabulary data) {
        List<String> tokens = data == null ? List.of() : data.tokens();
        if (tokens.equals(vocabulary)) {
            return;
        }
        int at = 0;
        while (at < Math.min(tokens.size(), vocabulary.size()) && tokens.get(at).equals(vocabulary.get(at))) {
            at++;
        }
        throw new IllegalArgumentException(FIELD + ": " + runDir + " was pre-trained over a vocabulary of "
                + vocabulary.size() + " tokens, this job's data has " + tokens.size() + ", first difference at id "
                + at + " (" + tokenAt(vocabulary, at) + " vs " + tokenAt(tokens, at) + "); use the pre-training job's "
                + "dataset with the same dataset.splits (seed and fractions) and sequence_length");
    }

    private static String tokenAt(List<String> tokens, int id) {
        return id < tokens.size() ? "'" + tokens.get(id) + "'" : "none";
    }

    /** Copies the encoder's weights into {@code classifier}'s layers before its head, checking every shape. */
    void copyInto(MultiLayerNetwork classifier) {
        List<Layer> from = encoderLayers(net);
        List<Layer> to = encoderLayers(classifier);
        if (from.size() != to.size()) {
            throw new IllegalArgumentException(FIELD + ": " + runDir + " has " + from.size() + " encoder layers with "
                    + "weights, this classifier " + to.size() + "; set layers as in the pre-training job");
        }
        for (int i = 0; i < from.size(); i++) {
            Map<String, INDArray> source = from.get(i).paramTable();
            Map<String, INDArray> target = to.get(i).paramTable();
            for (Map.Entry<String, INDArray> param : target.entrySet()) {
                INDArray value = source.get(param.getKey());
                if (value == null || !Arrays.equals(value.shape(), param.getValue().shape())) {
                    throw new IllegalArgumentException(FIELD + ": layer " + to.get(i).getIndex() + " ("
                            + to.get(i).conf().getLayer().getClass().getSimpleName() + ") parameter " + param.getKey()
                            + " is " + Arrays.toString(param.getValue().shape()) + " here, "
                            + (value == null ? "absent" : Arrays.toString(value.shape())) + " in " + runDir
                            + "; set d_model, heads, ff and sequence_length as in the pre-training job");
                }
                param.getValue().assign(value);
            }
        }
    }

    /** The layers with weights, but the last (the head). */
    private static List<Layer> encoderLayers(MultiLayerNetwork network) {
        List<Layer> weighted = Arrays.stream(network.getLayers()).filter(l -> l.numParams() > 0).toList();
        return weighted.subList(0, weighted.size() - 1);
    }
}
