package dev.workbench.models.transformer;

import dev.workbench.data.sequence.SequenceArrays;
import dev.workbench.data.sequence.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BERT's corruption of token ids for masked language modelling (Devlin et al. 2019, section 3.1): in each sequence
 * {@code max(1, round(fraction * n))} of its {@code n} candidate tokens are chosen (every token but padding and
 * {@code <cls>}), as BERT's own data script counts them; a chosen token becomes {@code <mask>} with probability 0.8,
 * a random word with 0.1, and stays itself with 0.1. The model must predict the original token at the chosen
 * positions only: the labels mask keeps them and nothing else.
 *
 * @param fraction   share of each sequence's candidates chosen (BERT: 0.15)
 * @param pad        padding id, never chosen
 * @param cls        the class token's id, never chosen
 * @param mask       the mask token's id
 * @param firstWord  lowest id a random replacement may take (the first word after the reserved tokens)
 * @param vocabulary ids in all
 */
record TokenMasking(double fraction, int pad, int cls, int mask, int firstWord, int vocabulary) {
    static final double TO_MASK = 0.8;
    static final double TO_RANDOM = 0.1;

    /** The masking of a {@link Vocabulary#maskable} vocabulary. */
    static TokenMasking of(Vocabulary words, double fraction) {
        return new TokenMasking(fraction, words.id(Vocabulary.PAD), words.id(Vocabulary.CLS),
                words.id(Vocabulary.MASK), words.reserved(), words.size());
    }

    /** Whether a sequence holding {@code id} could have it chosen. */
    boolean isCandidate(int id) {
        return id != pad && id != cls;
    }

    /** A corrupted batch: the ids the model reads and which positions it must predict. */
    record Corruption(int[][] input, boolean[][] chosen) {
    }

    /** {@code ids} (a row per sequence) corrupted with draws from {@code random}. */
    Corruption corrupt(int[][] ids, Random random) {
        int[][] input = new int[ids.length][];
        boolean[][] chosen = new boolean[ids.length][];
        for (int b = 0; b < ids.length; b++) {
            input[b] = ids[b].clone();
            chosen[b] = new boolean[ids[b].length];
            List<Integer> candidates = new ArrayList<>();
            for (int t = 0; t < ids[b].length; t++) {
                if (isCandidate(ids[b][t])) {
                    candidates.add(t);
                }
            }
            int picks = candidates.isEmpty() ? 0 : Math.max(1, (int) Math.round(fraction * candidates.size()));
            for (int i = 0; i < picks; i++) {
                // A partial Fisher-Yates shuffle: the first picks positions are a uniform choice without replacement.
                int j = i + random.nextInt(candidates.size() - i);
                int t = candidates.set(j, candidates.get(i));
                candidates.set(i, t);
                chosen[b][t] = true;
                double r = random.nextDouble();
                if (r < TO_MASK) {
                    input[b][t] = mask;
                } else if (r < TO_MASK + TO_RANDOM) {
                    input[b][t] = firstWord + random.nextInt(vocabulary - firstWord);
                }
            }
        }
        return new Corruption(input, chosen);
    }

    /**
     * {@code ids} ({@code [batch, 1, time]}) corrupted with draws from {@code random}, as a training batch: features
     * the corrupted ids, labels the original ids one-hot ({@code [batch, vocabulary, time]}), labels mask 1 at the
     * chosen positions.
     */
    DataSet apply(INDArray ids, Random random) {
        int batch = (int) ids.size(0);
        int steps = (int) ids.size(2);
        int[][] original = ids.reshape(batch, steps).toIntMatrix();
        Corruption corruption = corrupt(original, random);
        float[] corrupted = new float[batch * steps];
        float[] chosen = new float[batch * steps];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                corrupted[b * steps + t] = corruption.input()[b][t];
                chosen[b * steps + t] = corruption.chosen()[b][t] ? 1f : 0f;
            }
        }
        return new DataSet(Nd4j.create(corrupted, new long[]{batch, 1, steps}, 'c'),
                SequenceArrays.oneHot(List.of(original), steps, vocabulary), null,
                Nd4j.create(chosen, new long[]{batch, steps}, 'c'));
    }
}
