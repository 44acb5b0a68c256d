package dev.workbench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The folder one run writes: {@code <output>/<job>-<yyyyMMdd-HHmmss>/} with job.yaml, metrics.csv,
 * summary.json, model.zip, checkpoints/, plots/ and report.html.
 */
public record RunFolder(Path root) {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** Creates a new, empty run folder (a suffix keeps two runs started in the same second apart). */
    public static RunFolder create(Path output, String jobName) {
        Path root = uniqueFolder(output, jobName);
        try {
            Files.createDirectories(root.resolve("checkpoints"));
            Files.createDirectories(root.resolve("plots"));
            return new RunFolder(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run folder in " + output, e);
        }
    }

    /** A new empty folder {@code <output>/<name>-<timestamp>} ({@code -2}, {@code -3}, ... if that exists). */
    public static Path uniqueFolder(Path output, String name) {
        String base = name + "-" + LocalDateTime.now().format(STAMP);
        try {
            Files.createDirectories(output);
            Path root = output.resolve(base);
            for (int i = 2; Files.exists(root); i++) {
                root = output.resolve(base + "-" + i);
            }
            return Files.createDirectory(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder in " + output, e);
        }
    }

    /** An existing run folder, checked to hold a job.yaml. */
    public static RunFolder existing(Path root) {
        if (!Files.isRegularFile(root.resolve("job.yaml"))) {
            throw new IllegalArgumentException(root + ": not a run folder (no job.yaml)");
        }
        return new RunFolder(root);
    }

    /**
     * The finished run at {@code root} that a job names in {@code field} (a run another run reads), or an error
     * naming the field: {@code howToTrain} says which job makes such a run.
     */
    public static RunFolder finished(Path root, String field, String howToTrain) {
        RunFolder run;
        try {
            run = existing(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage() + "; " + howToTrain
                    + " and give its run folder");
        }
        if (!Files.isRegularFile(run.model())) {
            throw new IllegalArgumentException(field + ": " + run.model() + " is missing; the run did not finish "
                    + "(resume it with workbench train --resume " + root + ")");
        }
        return run;
    }

    /**
     * Deletes the folder of a run that failed before it recorded anything: no metrics.csv, summary.json or
     * checkpoint (a folder holding only job.yaml would tell the user nothing). A folder with any of them is kept.
     *
     * @return whether the folder was deleted
     */
    public boolean deleteIfNothingRecorded() throws IOException {
        if (Files.exists(metricsCsv()) || Files.exists(summaryJson()) || Files.exists(checkpoints().resolve("state.json"))
                || hasCheckpoint()) {
            return false;
        }
        delete();
        return true;
    }

    /** Removes the folder and everything in it. */
    public void delete() throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Whether the run has written an epoch checkpoint it can resume from. */
    public boolean hasCheckpoint() throws IOException {
        if (!Files.isDirectory(checkpoints())) {
            return false;
        }
        try (Stream<Path> files = Files.list(checkpoints())) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("epoch-"));
        }
    }

    public Path jobYaml() {
        return root.resolve("job.yaml");
    }

    public Path metricsCsv() {
        return root.resolve("metrics.csv");
    }

    public Path summaryJson() {
        return root.resolve("summary.json");
    }

    public Path model() {
        return root.resolve("model.zip");
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public Path plots() {
        return root.resolve("plots");
    }

    public Path reportHtml() {
        return root.resolve("report.html");
    }
}
