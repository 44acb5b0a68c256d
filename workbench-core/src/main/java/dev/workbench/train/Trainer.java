package dev.workbench.train;

import dev.workbench.data.DataSplits;
import dev.workbench.job.TrainingSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The one training loop, for every family that trains with minibatch fit(): per epoch it shuffles the
 * training split (seeded by epoch, so a resumed run sees the same batches), steps the network, aborts on
 * a NaN or infinite loss, evaluates on the validation split, tracks early stopping and writes checkpoints.
 */
public final class Trainer {
    private final TrainingSpec spec;
    private final int batchSize;
    private final long seed;
    private final CheckpointStore checkpoints;
    private final ProgressReporter progress;
    private final Consumer<TrainingState> afterEpoch;
    private BatchTransform batchTransform;
    private int prefetch;

    /**
     * @param afterEpoch called with the state after every epoch (the run folder rewrites metrics.csv from it)
     */
    public Trainer(TrainingSpec spec, int batchSize, long seed, CheckpointStore checkpoints,
                   ProgressReporter progress, Consumer<TrainingState> afterEpoch) {
        this.spec = spec;
        this.batchSize = batchSize;
        this.seed = seed;
        this.checkpoints = checkpoints;
        this.progress = progress;
        this.afterEpoch = afterEpoch;
    }

    /**
     * Trains on transformed batches (augmentation), each prepared up to {@code prefetch} batches ahead on a
     * background thread (0: on the training thread).
     */
    public Trainer transformingBatches(BatchTransform transform, int prefetch) {
        this.batchTransform = transform;
        this.prefetch = prefetch;
        return this;
    }

    /** How a run ended. {@code stoppedEarly} is true when early stopping ended it before the last epoch. */
    public record Outcome(TrainingState state, boolean stoppedEarly) {
    }

    /**
     * Trains from {@code state} (fresh or loaded from a checkpoint together with {@code network}) up to the
     * job's epochs, on {@code data} as {@code objective} prepared it and scoring the validation split by it.
     * Each checkpoint records {@code state.wallSeconds()} plus the time since this call.
     */
    public Outcome train(Network network, TrainingObjective objective, DataSplits data, TrainingState state) {
        EarlyStopping early = new EarlyStopping(spec.earlyStopping());
        long called = System.nanoTime();
        double wallBefore = state.wallSeconds();
        if (early.shouldStop(state)) {
            // Resumed from the checkpoint early stopping ended on: there is nothing left to train.
            return new Outcome(state, state.completedEpochs() < spec.epochs());
        }
        for (int epoch = state.completedEpochs() + 1; epoch <= spec.epochs(); epoch++) {
            // Dropout and other in-network randomness: reseeded per epoch, so resume continues the same stream.
            Nd4j.getRandom().setSeed(seed * 1_000_003L + epoch);
            List<DataSet> batches = objective.epochBatches(data.train(), batchSize, seed, epoch);
            if (batchTransform != null) {
                batches = new TransformedBatches(batches, batchTransform, seed, epoch, prefetch);
            }
            progress.epochStarted(epoch, spec.epochs(), batches.size());
            long start = System.nanoTime();
            double lossSum = 0;
            int samples = 0;
            // name -> {sum weighted by examples, examples}; by name, so that every epoch's columns come in one order
            Map<String, double[]> parts = new java.util.TreeMap<>();
            for (int b = 0; b < batches.size(); b++) {
                DataSet batch = batches.get(b);
                network.fit(batch);
                double loss = network.score() / stepsPerExample(batch);
                if (!Double.isFinite(loss)) {
                    throw new TrainingDivergedException(epoch, b + 1, loss,
                            state.checkpoint() == null ? null : checkpoints.folder().resolve(state.checkpoint()).toString());
                }
                lossSum += loss * batch.numExamples();
                samples += batch.numExamples();
                network.scores().forEach((name, value) -> {
                    double[] sum = parts.computeIfAbsent(name, n -> new double[2]);
                    sum[0] += value * batch.numExamples();
                    sum[1] += batch.numExamples();
                });
                progress.batchDone(loss, samples / seconds(start));
            }
            network.incrementEpochCount();
            double seconds = seconds(start);

            Map<String, Double> values = new LinkedHashMap<>();
            values.put("train_loss", lossSum / samples);
            parts.forEach((name, sum) -> values.put("train_" + name, sum[0] / sum[1]));
            objective.evaluate(network, data.validation(), data.info()).metrics()
                    .forEach((name, value) -> values.put("val_" + name, value));
            values.put("lr", network.learningRate());
            values.put("seconds", seconds);
            values.put("samples_per_sec", samples / seconds);
            // Since the run began, validation and earlier processes of a resumed run included: the x of a loss-vs-time plot.
            values.put("wall_seconds", wallBefore + seconds(called));
            EpochMetrics metrics = new EpochMetrics(epoch, values);

            TrainingState before = state;
            state = early.update(state, epoch, metrics.get(early.metric())).withMetrics(metrics);
            if (state.bestEpoch() == epoch && before.bestEpoch() != epoch) {
                checkpoints.writeBest(network);
            }
            boolean stop = early.shouldStop(state);
            if (epoch % spec.checkpointEvery() == 0 || epoch == spec.epochs() || stop) {
                state = checkpoints.write(network, state.withWallSeconds(wallBefore + seconds(called)));
            }
            afterEpoch.accept(state);
            progress.epochEnded(line(metrics, spec.epochs()));
            if (stop) {
                return new Outcome(state, epoch < spec.epochs());
            }
        }
        return new Outcome(state, false);
    }

    /**
     * DL4J sums a per-step (sequence) output's loss over the time steps its labels mask keeps (all without one);
     * dividing by them gives the loss per predicted token, the unit the evaluator reports (nats per character for a
     * language model, per chosen token for a masked one).
     */
    private static double stepsPerExample(DataSet batch) {
        if (batch.getLabels().rank() != 3) {
            return 1;
        }
        return batch.getLabelsMaskArray() == null ? batch.getLabels().size(2)
                : batch.getLabelsMaskArray().sumNumber().doubleValue() / batch.numExamples();
    }

    private static double seconds(long startNanos) {
        return Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    }

    private static String line(EpochMetrics metrics, int epochs) {
        StringBuilder text = new StringBuilder(String.format("epoch %d/%d", metrics.epoch(), epochs));
        metrics.values().forEach((name, value) -> text.append("  ").append(name).append(' ')
                .append(name.equals("lr") ? String.format("%.6g", value)
                        : name.equals("seconds") || name.equals("samples_per_sec") || name.equals("wall_seconds") ? String.format("%.1f", value)
                        : String.format("%.4f", value)));
        return text.toString();
    }
}
