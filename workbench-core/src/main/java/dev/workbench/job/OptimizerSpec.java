package dev.workbench.job;

/**
 * @param type        {@code adam}, {@code adamw}, {@code sgd}, {@code nesterovs} or {@code rmsprop}
 * @param lr          base learning rate (the schedule scales it)
 * @param momentum    momentum for {@code nesterovs}
 * @param weightDecay decoupled weight decay (L2 for sgd-style updaters), 0 for none
 */
public record OptimizerSpec(String type, Double lr, Double momentum, Double weightDecay) {
    public OptimizerSpec {
        type = type == null ? "adam" : type;
        lr = lr == null ? 1e-3 : lr;
        momentum = momentum == null ? 0.9 : momentum;
        weightDecay = weightDecay == null ? 0.0 : weightDecay;
    }
}
