package dev.workbench.models.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.data.sequence.Vocabulary;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.OptimizerSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.Network;
import dev.workbench.train.PaddingMaskedNetwork;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** BERT's masking and the masked-LM loss, on the real review sentences and Tiny Shakespeare lines of sentiment-bert. */
class MaskedLanguageModelTest {
    private static final ModelFactory MLM = ModelRegistry.builtIn().get("transformer", "bert-mlm");

    static DataSplits sentimentBert(long splitSeed) {
        return DatasetRegistry.builtIn().get("sentiment-bert").load(new DatasetSpec("sentiment-bert", 32,
                new SplitSpec(0.15, 0.2), "standardize", List.of(), null, 32, null, null), splitSeed,
                DataLocations.fromEnvironment());
    }

    @Test
    void chosesFifteenPercentOfEachSentenceAndMasksEightyReplacesTenKeepsTen() {
        DataSplits data = sentimentBert(2);
        Vocabulary words = data.vocabulary();
        assertEquals(List.of("<pad>", "<unk>", "<cls>", "<mask>"), words.tokens().subList(0, 4));
        int[][] ids = data.train().getFeatures().reshape(data.train().numExamples(), 32).toIntMatrix();
        TokenMasking masking = TokenMasking.of(words, 0.15);
        TokenMasking.Corruption corruption = masking.corrupt(ids, new Random(3));
        int chosen = 0;
        int candidates = 0;
        int masked = 0;
        int replaced = 0;
        int kept = 0;
        for (int b = 0; b < ids.length; b++) {
            int rowCandidates = 0;
            int rowChosen = 0;
            for (int t = 0; t < 32; t++) {
                int id = ids[b][t];
                boolean special = id == words.id(Vocabulary.PAD) || id == words.id(Vocabulary.CLS);
                rowCandidates += special ? 0 : 1;
                if (!corruption.chosen()[b][t]) {
                    assertEquals(id, corruption.input()[b][t], "an unchosen token is read as it is");
                    continue;
                }
                assertFalse(special, "padding and <cls> are never chosen");
                rowChosen++;
                int input = corruption.input()[b][t];
                if (input == words.id(Vocabulary.MASK)) {
                    masked++;
                } else if (input == id) {
                    kept++;
                } else {
                    assertTrue(input >= words.reserved(), "a random replacement is a word");
                    replaced++;
                }
            }
            assertEquals(Math.max(1, Math.round(0.15 * rowCandidates)), rowChosen, "sentence " + b);
            chosen += rowChosen;
            candidates += rowCandidates;
        }
        // Per-sentence rounding (at least one token per sentence) puts the share a little off 0.15 on short sentences.
        assertEquals(0.15, (double) chosen / candidates, 0.02, chosen + " of " + candidates);
        // About 3,000 chosen tokens: the binomial standard deviation of a share of 0.1 is 0.005.
        assertEquals(0.8, (double) masked / chosen, 0.025);
        assertEquals(0.1, (double) replaced / chosen, 0.02);
        assertEquals(0.1, (double) kept / chosen, 0.02);
    }

    @Test
    void preTrainsOnTheTrainingSentencesAndTheUnlabelledLinesOnly() {
        DataSplits data = sentimentBert(2);
        DataSplits prepared = MLM.objective(data.info()).prepare(data);
        List<String> text = new java.util.ArrayList<>();
        for (DataSet split : List.of(prepared.train(), prepared.validation(), prepared.test())) {
            text.addAll(rows(split.getFeatures()));
        }
        List<String> expected = new java.util.ArrayList<>(rows(data.train().getFeatures()));
        expected.addAll(rows(data.unlabelled().reshape(data.unlabelled().size(0), 1, 32)));
        java.util.Collections.sort(text);
        java.util.Collections.sort(expected);
        assertEquals(expected, text, "the labelled validation and test sentences are not read");
        assertEquals(expected.size() / MaskedLanguageModelObjective.HELD_OUT_EVERY, prepared.validation().numExamples(), 1);
    }

    private static List<String> rows(INDArray ids) {
        int[][] matrix = ids.reshape(ids.size(0), ids.size(2)).toIntMatrix();
        return java.util.Arrays.stream(matrix).map(java.util.Arrays::toString).toList();
    }

    @Test
    void lossReadsTheChosenPositionsOnlyInTrainingAndEvaluationAlike() {
        DataSplits data = sentimentBert(2);
        MaskedLanguageModelObjective objective = (MaskedLanguageModelObjective) MLM.objective(data.info());
        DataSplits prepared = objective.prepare(data);
        Network network = small(prepared);
        DataSet batch = objective.epochBatches(TestWorkbench.firstRows(prepared.train(), 16), 16, 1, 1).get(0);
        MultiLayerNetwork net = (MultiLayerNetwork) network.model();
        INDArray features = batch.getFeatures();
        double before = dl4jScore(net, batch);
        double evaluated = MaskedLanguageModelObjective.score(network.output(features), batch).loss();
        // DL4J sums over the chosen steps and divides by the examples; the trainer divides by chosen steps per example.
        double chosenPerExample = batch.getLabelsMaskArray().sumNumber().doubleValue() / 16;
        assertEquals(evaluated, before / chosenPerExample, 1e-4 * evaluated);

        int[] unchosen = position(batch.getLabelsMaskArray(), features, 0.0);
        DataSet otherTarget = withTarget(batch, unchosen, 7);
        assertEquals(before, dl4jScore(net, otherTarget), 0.0);
        assertEquals(evaluated, MaskedLanguageModelObjective.score(network.output(features), otherTarget).loss(), 0.0);

        int[] chosen = position(batch.getLabelsMaskArray(), features, 1.0);
        assertNotEquals(before, dl4jScore(net, withTarget(batch, chosen, 7)), "a chosen target counts");
    }

    private static Network small(DataSplits prepared) {
        Hyperparameters hp = Hyperparameters.resolve(MLM.hyperparameters(),
                Map.of("d_model", 16, "heads", 2, "ff", 32, "layers", 1, "dropout", 0.0));
        return MLM.build(new ModelContext(prepared.info(), hp, new BaseConfiguration(3,
                new TrainingSpec(1, new OptimizerSpec("adam", 0.003, null, null), null, null, null, null), 10)));
    }

    private static double dl4jScore(MultiLayerNetwork net, DataSet batch) {
        return net.score(new DataSet(batch.getFeatures(), batch.getLabels(), PaddingMaskedNetwork.mask(batch.getFeatures()),
                batch.getLabelsMaskArray()));
    }

    /** The first (row, step) of a real token whose labels mask is {@code value}. */
    private static int[] position(INDArray labelsMask, INDArray features, double value) {
        for (int b = 0; b < labelsMask.size(0); b++) {
            for (int t = 0; t < labelsMask.size(1); t++) {
                if (labelsMask.getDouble(b, t) == value && features.getDouble(b, 0, t) != 0) {
                    return new int[]{b, t};
                }
            }
        }
        throw new AssertionError("no such position");
    }

    private static DataSet withTarget(DataSet batch, int[] at, int token) {
        INDArray labels = batch.getLabels().dup();
        for (int v = 0; v < labels.size(1); v++) {
            labels.putScalar(new int[]{at[0], v, at[1]}, v == token ? 1.0 : 0.0);
        }
        return new DataSet(batch.getFeatures(), labels, null, batch.getLabelsMaskArray());
    }

    @Test
    void refusesDataWithoutAMaskToken() {
        DataSplits plain = DatasetRegistry.builtIn().get("sentiment").load(new DatasetSpec("sentiment", 32,
                new SplitSpec(0.15, 0.2), "standardize", List.of(), null, 32, null, null), 2,
                DataLocations.fromEnvironment());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MLM.objective(plain.info()).prepare(plain));
        assertTrue(e.getMessage().contains("model.architecture: bert-mlm") && e.getMessage().contains("sentiment-bert"),
                e.getMessage());
    }
}
