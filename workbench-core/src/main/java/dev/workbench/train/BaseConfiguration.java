package dev.workbench.train;

import dev.workbench.job.GradientClippingSpec;
import dev.workbench.job.OptimizerSpec;
import dev.workbench.job.ScheduleSpec;
import dev.workbench.job.TrainingSpec;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * What every network of a job shares, whatever its architecture: seed, updater with its learning-rate
 * curve, weight decay and gradient clipping. Model factories start from {@link #builder()}, so these
 * settings are written once for all families.
 */
public record BaseConfiguration(long seed, TrainingSpec training, int iterationsPerEpoch) {

    public static final java.util.List<String> OPTIMIZERS = java.util.List.of("adam", "sgd", "nesterovs", "rmsprop");
    public static final java.util.List<String> SCHEDULES = java.util.List.of("constant", "step", "cosine");
    public static final java.util.List<String> CLIPPING = java.util.List.of("norm", "value");

    public NeuralNetConfiguration.Builder builder() {
        NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(updater(training.optimizer(), learningRate()));
        if (training.optimizer().weightDecay() > 0) {
            builder.weightDecay(training.optimizer().weightDecay());
        }
        GradientClippingSpec clipping = training.gradientClipping();
        if (clipping != null) {
            builder.gradientNormalization("value".equals(clipping.type())
                            ? GradientNormalization.ClipElementWiseAbsoluteValue : GradientNormalization.ClipL2PerLayer)
                    .gradientNormalizationThreshold(clipping.threshold());
        }
        return builder;
    }

    /** The learning rate as a function of the iteration, from the job's schedule. */
    public ISchedule learningRate() {
        ScheduleSpec schedule = training.schedule();
        return new LearningRateCurve(LearningRateCurve.Shape.valueOf(schedule.type().toUpperCase()),
                training.optimizer().lr(), schedule.warmupEpochs() * iterationsPerEpoch,
                training.epochs() * iterationsPerEpoch, schedule.stepEpochs() * iterationsPerEpoch,
                schedule.gamma(), schedule.minLr());
    }

    private static IUpdater updater(OptimizerSpec optimizer, ISchedule lr) {
        return switch (optimizer.type()) {
            // DL4J's Adam; on the CPU backend dev.workbench.cpu trains with a faster Java twin of it.
            case "adam" -> new Adam(lr);
            case "sgd" -> new Sgd(lr);
            case "nesterovs" -> new Nesterovs(lr, optimizer.momentum());
            case "rmsprop" -> new RmsProp(lr);
            default -> throw new IllegalArgumentException("training.optimizer.type: unknown '" + optimizer.type() + "'");
        };
    }
}
