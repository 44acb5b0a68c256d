package dev.workbench.train;

/** The loss became NaN or infinite; the run stops and keeps its last good checkpoint. */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(int epoch, int batch, double loss, String lastCheckpoint) {
        super("training diverged: loss is " + loss + " at epoch " + epoch + ", batch " + batch
                + " (try a lower training.optimizer.lr or gradient clipping); "
                + (lastCheckpoint == null ? "no checkpoint was written before it"
                : "last good checkpoint: " + lastCheckpoint));
    }
}
