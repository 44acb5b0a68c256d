package dev.workbench.train;

import java.util.AbstractList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One epoch's minibatches with a {@link BatchTransform} applied, computed up to {@code ahead} batches in advance
 * on one background thread while the network trains on the current one.
 * <p>
 * Batch {@code i} is a function of the source batch and a {@link Random} seeded from (seed, epoch, i) alone, so
 * content and order do not depend on timing, and with or without prefetching the batches are the same.
 * A failure while transforming is rethrown by {@link #get(int)} for that batch. There is nothing to close: the
 * worker is shut down once the last batch is handed out, and when training stops early (an exception) it
 * finishes the at most {@code ahead} batches already started and ends after a second idle.
 */
public final class TransformedBatches extends AbstractList<DataSet> {
    private final List<DataSet> source;
    private final BatchTransform transform;
    private final long seed;
    private final int epoch;
    private final int ahead;
    private final ThreadPoolExecutor worker;
    private final Map<Integer, Future<DataSet>> started = new HashMap<>();

    /** @param ahead batches computed in advance on a background thread; 0 computes each on the caller's thread */
    public TransformedBatches(List<DataSet> source, BatchTransform transform, long seed, int epoch, int ahead) {
        this.source = source;
        this.transform = transform;
        this.seed = seed;
        this.epoch = epoch;
        this.ahead = ahead;
        // No core threads: the one worker exits by itself once idle, even if the epoch is abandoned.
        this.worker = ahead == 0 ? null : new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "workbench-batches-epoch-" + epoch);
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Override
    public int size() {
        return source.size();
    }

    /** Batch {@code index}; meant to be called in order, each index once (a repeated call computes it again). */
    @Override
    public DataSet get(int index) {
        if (worker == null || worker.isShutdown()) {
            return compute(index);
        }
        for (int i = index; i <= Math.min(size() - 1, index + ahead); i++) {
            started.computeIfAbsent(i, j -> worker.submit(() -> compute(j)));
        }
        Future<DataSet> batch = started.remove(index);
        if (index == size() - 1) {
            worker.shutdown();
        }
        try {
            return batch.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("transforming batch " + index + " of epoch " + epoch + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for batch " + index + " of epoch " + epoch, e);
        }
    }

    /** True once no more work will start on the background thread (always true without one). */
    boolean workerShutDown() {
        return worker == null || worker.isShutdown();
    }

    private DataSet compute(int index) {
        return transform.apply(source.get(index), random(seed, epoch, index));
    }

    /** The draws for one batch: independent of every other batch's, reproducible from the three numbers. */
    static Random random(long seed, int epoch, int index) {
        long mixed = seed;
        mixed = mixed * 0x9E3779B97F4A7C15L + epoch;
        mixed = mixed * 0x9E3779B97F4A7C15L + index;
        return new Random(mixed);
    }
}
