package dev.workbench.job;

/**
 * Learning-rate schedule, applied per iteration.
 *
 * @param type         {@code constant}, {@code step} (multiply by gamma every stepEpochs) or {@code cosine}
 *                     (cosine decay from lr to minLr over the run)
 * @param warmupEpochs linear warm-up from 0 to lr over this many epochs (0 for none), before the schedule
 * @param stepEpochs   for {@code step}: epochs between decays
 * @param gamma        for {@code step}: decay factor
 * @param minLr        for {@code cosine}: final learning rate
 */
public record ScheduleSpec(String type, Integer warmupEpochs, Integer stepEpochs, Double gamma, Double minLr) {
    public ScheduleSpec {
        type = type == null ? "constant" : type;
        warmupEpochs = warmupEpochs == null ? 0 : warmupEpochs;
        stepEpochs = stepEpochs == null ? 10 : stepEpochs;
        gamma = gamma == null ? 0.1 : gamma;
        minLr = minLr == null ? 0.0 : minLr;
    }
}
