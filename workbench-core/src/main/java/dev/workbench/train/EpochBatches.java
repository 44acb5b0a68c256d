package dev.workbench.train;

import dev.workbench.data.Rows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The training split cut into minibatches for one epoch, shuffled by a seed derived from the run's seed and
 * the epoch number: a resumed run sees exactly the batches the interrupted one would have.
 */
public final class EpochBatches {
    private EpochBatches() {
    }

    public static List<DataSet> shuffled(DataSet train, int batchSize, long seed, int epoch) {
        int n = train.numExamples();
        int[] order = order(n, seed, epoch);
        List<DataSet> batches = new ArrayList<>();
        for (int start = 0; start < n; start += batchSize) {
            batches.add(Rows.of(train, Arrays.copyOfRange(order, start, Math.min(n, start + batchSize))));
        }
        return batches;
    }

    /** The indices {@code 0..n-1} in the order epoch {@code epoch} of a run seeded {@code seed} visits them. */
    public static int[] order(int n, long seed, int epoch) {
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        Random random = new Random(seed * 31 + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
