package dev.workbench.job;

/**
 * Stop when {@code metric} has not improved by more than {@code minDelta} for {@code patience} epochs;
 * the best epoch's weights become the run's model.
 *
 * @param metric one of {@code val_loss}, {@code val_accuracy}, {@code val_f1}, {@code val_mse}, {@code val_mae}
 */
public record EarlyStoppingSpec(String metric, Integer patience, Double minDelta) {
    public EarlyStoppingSpec {
        metric = metric == null ? "val_loss" : metric;
        patience = patience == null ? 5 : patience;
        minDelta = minDelta == null ? 0.0 : minDelta;
    }
}
