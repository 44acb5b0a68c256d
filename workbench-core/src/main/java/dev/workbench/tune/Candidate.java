package dev.workbench.tune;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One candidate of a search and how far it got; search.json holds them all, so a search that stops resumes where it
 * was.
 *
 * @param index   its place in the generator's order
 * @param name    its run's job name, {@code <job>-cNNN}
 * @param values  job field path to the value drawn
 * @param point   the point in Arbiter's [0, 1]^n the values came from
 * @param status  {@code pending}, {@code running}, {@code completed}, {@code stopped} (halving ended it), {@code failed}
 * @param epochs  epochs trained so far
 * @param score   its best validation metric so far, NaN before the first rung ends or when it failed
 * @param seconds wall seconds spent training it
 * @param run     its run folder, once known
 * @param reason  why it failed
 */
public record Candidate(int index, String name, Map<String, Object> values, double[] point, String status, int epochs,
                        double score, double seconds, String run, String reason) {
    public Candidate {
        values = new LinkedHashMap<>(values);
    }

    static Candidate pending(int index, String job, Map<String, Object> values, double[] point) {
        return new Candidate(index, String.format("%s-c%03d", job, index), values, point, "pending", 0, Double.NaN, 0, null, null);
    }

    Candidate in(String runFolder) {
        return new Candidate(index, name, values, point, status, epochs, score, seconds, runFolder, reason);
    }

    Candidate running() {
        return new Candidate(index, name, values, point, "running", epochs, score, seconds, run, null);
    }

    Candidate trained(String runFolder, int epochsDone, double best, double moreSeconds) {
        return new Candidate(index, name, values, point, "completed", epochsDone, best, seconds + moreSeconds, runFolder, null);
    }

    Candidate failed(String runFolder, String why, double moreSeconds) {
        return new Candidate(index, name, values, point, "failed", epochs, Double.NaN, seconds + moreSeconds, runFolder, why);
    }

    Candidate stopped() {
        return new Candidate(index, name, values, point, "stopped", epochs, score, seconds, run, null);
    }

    public boolean finished() {
        return status.equals("completed") || status.equals("stopped") || status.equals("failed");
    }

    public boolean hasScore() {
        return !Double.isNaN(score);
    }
}
