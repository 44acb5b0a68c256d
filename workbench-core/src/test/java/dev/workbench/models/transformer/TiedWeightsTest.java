package dev.workbench.models.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.generate.NextTokenModel;
import dev.workbench.generate.WindowedModel;
import dev.workbench.Workbench;
import dev.workbench.job.JobFile;
import dev.workbench.job.JobSpec;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The gpt decoder with its token embedding tied to its softmax head: one matrix, learning from both uses. */
class TiedWeightsTest {
    private static final int D_MODEL = 32;

    private static MultiLayerNetwork net(Network network) {
        return ((SequentialNetwork) network).net();
    }

    @Test
    void tyingDropsVocabularyTimesDModelParameters() {
        long vocabulary = GptFamilyTest.SHAKESPEARE.info().input().vocabulary();
        long untied = GptFamilyTest.build(Map.of()).parameterCount();
        long tied = GptFamilyTest.build(Map.of("tie_weights", true)).parameterCount();
        assertEquals(vocabulary * D_MODEL, untied - tied);
    }

    @Test
    void theSharedGradientIsTheSumOfTheEmbeddingsAndTheHeadsGradients() {
        MultiLayerNetwork untied = net(GptFamilyTest.build(Map.of("norm", "post")));
        MultiLayerNetwork tied = net(GptFamilyTest.build(Map.of("norm", "post", "tie_weights", true)));
        int head = untied.getnLayers() - 1;
        // The same function: every tied parameter copied from the untied model, whose embedding is set to the head's Wᵀ.
        for (int i = 0; i < tied.getnLayers(); i++) {
            for (Map.Entry<String, INDArray> p : tied.getLayer(i).paramTable().entrySet()) {
                p.getValue().assign(untied.getLayer(i).getParam(p.getKey()));
            }
        }
        untied.getLayer(0).getParam("W").assign(untied.getLayer(head).getParam("W").transpose());
        DataSet batch = TestWorkbench.firstRows(GptFamilyTest.SHAKESPEARE.train(), 12);
        for (MultiLayerNetwork net : List.of(untied, tied)) {
            net.setInput(batch.getFeatures());
            net.setLabels(batch.getLabels());
            net.computeGradientAndScore();
        }
        assertEquals(untied.score(), tied.score(), 1e-6 * untied.score());

        Map<String, INDArray> untiedGradients = untied.gradient().gradientForVariable();
        Map<String, INDArray> tiedGradients = tied.gradient().gradientForVariable();
        INDArray sum = untiedGradients.get(head + "_W").add(untiedGradients.get("0_W").transpose());
        assertClose(sum, tiedGradients.get(head + "_W"), head + "_W");
        assertTrue(untiedGradients.get("0_W").norm2Number().doubleValue() > 0.1
                        * untiedGradients.get(head + "_W").norm2Number().doubleValue(),
                "the embedding's own gradient is a real part of the sum");
        for (Map.Entry<String, INDArray> g : tiedGradients.entrySet()) {
            if (!g.getKey().equals(head + "_W")) {
                assertClose(untiedGradients.get(g.getKey()), g.getValue(), g.getKey());
            }
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, String name) {
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double worst = Transforms.abs(expected.sub(actual)).maxNumber().doubleValue();
        assertTrue(worst <= 1e-5 * scale, name + ": differs by " + worst + " (largest gradient " + scale + ")");
    }

    @Test
    void aSavedTiedDecoderGivesTheSameOutputsAndGeneratesFromItsCache(@TempDir Path dir) throws Exception {
        Network gpt = GptFamilyTest.build(Map.of("tie_weights", true));
        DataSet batch = TestWorkbench.firstRows(GptFamilyTest.SHAKESPEARE.train(), 12);
        gpt.fit(batch);
        Network loaded = TestWorkbench.savedAndLoaded(gpt, dir.resolve("model.zip"));
        assertEquals(gpt.output(batch.getFeatures()), loaded.output(batch.getFeatures()));
        assertEquals(gpt.parameterCount(), loaded.parameterCount());
        // The key/value cache reads the head's weights as its token table.
        int context = (int) batch.getFeatures().size(2);
        float[] text = batch.getFeatures().slice(0).reshape(-1).toFloatVector();
        NextTokenModel cached = CachedDecoder.of((MultiLayerNetwork) loaded.model(), context);
        NextTokenModel whole = new WindowedModel(loaded, context, true);
        for (int t = 0; t < context; t++) {
            double[] expected = whole.read((int) text[t]);
            double[] actual = cached.read((int) text[t]);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 2e-5, "after " + (t + 1) + " characters, token " + i);
            }
        }
    }

    @Test
    void aResumedTiedRunEndsAsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        String yaml = """
                name: tied-gpt
                seed: 5
                dataset: {name: tinyshakespeare, batch_size: 12, sequence_length: 16, limit: 240}
                model: {family: transformer, architecture: gpt, hyperparameters: {d_model: 32, heads: 4, ff: 64, layers: 1, tie_weights: true}}
                training: {epochs: 2, optimizer: {type: adam, lr: 0.003}}
                output: %s
                """;
        JobSpec straightJob = JobFile.parse(yaml.formatted(dir.resolve("straight").toString().replace("\\", "/")),
                "tied-gpt.yaml", List.of());
        JobSpec interruptedJob = JobFile.parse(yaml.formatted(dir.resolve("interrupted").toString().replace("\\", "/")),
                "tied-gpt.yaml", List.of());
        Workbench.Run straight = TestWorkbench.quiet().train(straightJob);
        Workbench.Run resumed = TestWorkbench.interruptedThenResumed(interruptedJob, 1, dir.resolve("interrupted"));
        TestWorkbench.assertEndsAlike(straight, resumed, 2);
    }
}
