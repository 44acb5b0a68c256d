package dev.workbench.tune;

import dev.workbench.cli.WorkbenchCommand;
import dev.workbench.data.DataLocations;
import dev.workbench.job.JobSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains each candidate with {@code workbench train} in a JVM of its own (this JVM's options and class path), so
 * candidates run in parallel without sharing native thread pools, and a crash takes one candidate, not the search.
 * Each worker gets an equal share of the cores as its native thread count; its output goes to {@code logs/NAME.log}.
 */
final class ProcessTrainer implements CandidateTrainer {
    private final Path logs;
    private final Path datasets;
    private final int threads;

    /** {@code datasets}: this workbench's datasets folder, which the workers are pointed at. */
    ProcessTrainer(Path logs, Path datasets, int workers) {
        this.logs = logs;
        this.datasets = datasets.toAbsolutePath();
        this.threads = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
    }

    @Override
    public void train(JobSpec job, Path jobFile) {
        run(job.name(), List.of("train", jobFile.toString()));
    }

    @Override
    public void extend(Path run, int epochs) {
        String name = run.getFileName().toString();
        run(name, List.of("train", "--resume", run.toString(), "--epochs", Integer.toString(epochs)));
    }

    private void run(String name, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(WorkbenchCommand.class.getName());
        command.addAll(arguments);
        Path log = logs.resolve(name + ".log");
        try {
            Files.createDirectories(logs);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            builder.environment().put(DataLocations.VARIABLE, datasets.toString());
            int exit = builder.start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException(lastError(log, exit));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a worker for " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + name + " trained", e);
        }
    }

    /** The worker's own one-line error (the CLI prints "error: ..."), else its exit code and log. */
    private static String lastError(Path log, int exit) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.startsWith("error: ")).reduce((a, b) -> b)
                .map(l -> l.substring("error: ".length()))
                .orElse("worker exited with code " + exit + "; see " + log);
    }
}
