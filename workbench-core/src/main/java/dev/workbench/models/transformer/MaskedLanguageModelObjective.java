package dev.workbench.models.transformer;

import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetInfo;
import dev.workbench.data.InputShape;
import dev.workbench.data.Rows;
import dev.workbench.data.Task;
import dev.workbench.data.sequence.Vocabulary;
import dev.workbench.train.EpochBatches;
import dev.workbench.train.Evaluator;
import dev.workbench.train.Network;
import dev.workbench.train.TrainingObjective;
import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * BERT-style pre-training: predict the tokens {@link TokenMasking} chose, from the corrupted sentence. It learns
 * from text alone: the training split's sentences without their labels and the data's unlabelled lines
 * ({@link DataSplits#unlabelled()}); one row in {@value #HELD_OUT_EVERY} of them is held out for validation and
 * another for test, so the labelled validation and test sentences are never read. Every epoch masks its batches
 * anew (dynamic masking, as RoBERTa), drawn from the run's seed, the epoch and the batch, so a resumed run sees the
 * same; validation and test are masked once, from a fixed seed, so their scores compare across epochs and runs.
 * Metrics are over the chosen tokens only: {@code loss} (nats per chosen token), {@code accuracy} (the original
 * token is the likeliest) and {@code perplexity}.
 */
final class MaskedLanguageModelObjective implements TrainingObjective {
    static final int HELD_OUT_EVERY = 20;
    private static final long EVALUATION_SEED = 20_190_524L;
    private static final int EVALUATION_BATCH = 64;

    private final double fraction;
    /** Set by {@link #prepare}, which every run calls first: the masking needs the data's vocabulary. */
    private TokenMasking masking;

    MaskedLanguageModelObjective(double fraction) {
        this.fraction = fraction;
    }

    @Override
    public String name() {
        return "masked_language_model";
    }

    @Override
    public DataSplits prepare(DataSplits labelled) {
        Vocabulary vocabulary = labelled.vocabulary();
        if (vocabulary == null || !vocabulary.contains(Vocabulary.MASK) || !vocabulary.contains(Vocabulary.CLS)) {
            throw new IllegalArgumentException("model.architecture: bert-mlm needs sentences over a vocabulary with "
                    + Vocabulary.MASK + " and " + Vocabulary.CLS + "; dataset " + labelled.info().name()
                    + " has none (use sentiment-bert)");
        }
        masking = TokenMasking.of(vocabulary, fraction);
        INDArray text = labelled.unlabelled() == null ? labelled.train().getFeatures()
                : Nd4j.concat(0, labelled.train().getFeatures(), labelled.unlabelled());
        int[] maskable = IntStream.range(0, (int) text.size(0)).filter(r -> hasCandidate(text, r)).toArray();
        DatasetInfo info = labelled.info();
        DatasetInfo prepared = new DatasetInfo(info.name(), info.description(), maskable.length, Task.LANGUAGE_MODEL,
                info.input(), vocabulary.tokens(), List.of(), true, 0, info.source(), info.license(), info.folder());
        return labelled.withSplits(prepared, rows(text, maskable, 0), rows(text, maskable, 1), rows(text, maskable, 2));
    }

    private boolean hasCandidate(INDArray ids, int row) {
        for (int id : ids.get(NDArrayIndex.point(row)).ravel().toIntVector()) {
            if (masking.isCandidate(id)) {
                return true;
            }
        }
        return false;
    }

    /** Part {@code part} (0 train, 1 validation, 2 test) of the rows, as features and labels both (the clean ids). */
    private static DataSet rows(INDArray text, int[] maskable, int part) {
        int[] picked = IntStream.range(0, maskable.length).filter(i -> partOf(i) == part).map(i -> maskable[i]).toArray();
        INDArray ids = Rows.of(text, picked);
        return new DataSet(ids, ids);
    }

    private static int partOf(int row) {
        int r = row % HELD_OUT_EVERY;
        return r == HELD_OUT_EVERY / 2 ? 1 : r == HELD_OUT_EVERY - 1 ? 2 : 0;
    }

    @Override
    public List<String> metricNames() {
        return List.of("loss", "accuracy", "perplexity");
    }

    /** The shuffled batches of the clean ids, each masked as it is read (a whole epoch masked at once would not fit). */
    @Override
    public List<DataSet> epochBatches(DataSet train, int batchSize, long seed, int epoch) {
        List<DataSet> clean = EpochBatches.shuffled(train, batchSize, seed, epoch);
        return new AbstractList<>() {
            @Override
            public DataSet get(int index) {
                Random random = new Random(((seed * 1_000_003L + epoch) * 1_000_003L + index) ^ 0x5DEECE66DL);
                return masking.apply(clean.get(index).getFeatures(), random);
            }

            @Override
            public int size() {
                return clean.size();
            }
        };
    }

    @Override
    public Evaluator.Scores evaluate(Network network, DataSet split, DatasetInfo info) {
        Random random = new Random(EVALUATION_SEED);
        double nats = 0;
        double correct = 0;
        double chosen = 0;
        int n = split.numExamples();
        for (int start = 0; start < n; start += EVALUATION_BATCH) {
            DataSet batch = masking.apply(Rows.range(split.getFeatures(), start, Math.min(n, start + EVALUATION_BATCH)),
                    random);
            Scored scored = score(network.output(batch.getFeatures()), batch);
            nats += scored.nats();
            correct += scored.correct();
            chosen += scored.chosen();
        }
        double loss = nats / chosen;
        return new Evaluator.Scores(Map.of("loss", loss, "accuracy", correct / chosen, "perplexity", Math.exp(loss)),
                null);
    }

    /** Summed negative log-likelihood, correct predictions and count over the chosen positions of one batch. */
    record Scored(double nats, double correct, double chosen) {
        double loss() {
            return nats / chosen;
        }
    }

    static Scored score(INDArray probabilities, DataSet masked) {
        INDArray chosen = masked.getLabelsMaskArray();
        INDArray target = probabilities.mul(masked.getLabels()).sum(1);  // [batch, time]: p of the original token
        INDArray nats = Transforms.log(Transforms.max(target, 1e-30), false).negi().muli(chosen);
        INDArray hits = probabilities.argMax(1).eq(masked.getLabels().argMax(1)).castTo(chosen.dataType()).muli(chosen);
        return new Scored(nats.sumNumber().doubleValue(), hits.sumNumber().doubleValue(), chosen.sumNumber().doubleValue());
    }

    /**
     * Refused: DL4J's masked output layer gives padded steps no distribution while the exported graph gives every step
     * one, so the two would differ at the pads (max 7e-4 on the example's test rows); the fine-tuned encoder exports.
     */
    @Override
    public Optional<String> exportRefusal() {
        return Optional.of("bert-mlm has no ONNX export: its padded steps have no output in DL4J "
                + "(padding-masked per-step softmax); export the encoder fine-tuned from it (pretrained_run) instead");
    }
}
