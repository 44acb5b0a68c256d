package dev.workbench.job;

/**
 * A training job as written in a job file, with defaults filled in.
 *
 * @param name    job name; the run folder is {@code <output>/<name>-<timestamp>}
 * @param seed    seed for weight init, data shuffling, splits and dropout
 * @param dataset which data, how it is split, batched and normalised
 * @param model   which architecture and its hyperparameters
 * @param training epochs, optimizer, schedule, early stopping, checkpoints, clipping
 * @param output  folder that receives run folders
 * @param search  optional: what {@code workbench tune} searches over (training ignores it)
 */
public record JobSpec(String name, Long seed, DatasetSpec dataset, ModelSpec model, TrainingSpec training, String output,
                      SearchSpec search) {
    public JobSpec {
        seed = seed == null ? 42L : seed;
        training = training == null ? new TrainingSpec(null, null, null, null, null, null) : training;
        output = output == null ? "runs" : output;
    }

    /** A training job with no search block. */
    public JobSpec(String name, Long seed, DatasetSpec dataset, ModelSpec model, TrainingSpec training, String output) {
        this(name, seed, dataset, model, training, output, null);
    }

    /** This job as a plain training job, with no search block. */
    public JobSpec withoutSearch() {
        return new JobSpec(name, seed, dataset, model, training, output, null);
    }
}
