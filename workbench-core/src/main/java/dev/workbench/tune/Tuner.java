package dev.workbench.tune;

import dev.workbench.Workbench;
import dev.workbench.io.AtomicFiles;
import dev.workbench.job.JobFile;
import dev.workbench.job.JobSpec;
import dev.workbench.report.RunFolder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;

/**
 * Runs a search: Arbiter's generator draws the candidates, each is trained by the workbench's own trainer as a
 * normal run folder, and, with halving, each rung's best go on from their last epoch while the rest stop. Every
 * step is recorded in search.json first, so {@link #resume} skips what is done and resumes what was cut off.
 */
public final class Tuner {
    private final Workbench workbench;
    private final PrintStream out;

    public Tuner(Workbench workbench, PrintStream out) {
        this.workbench = workbench;
        this.out = out;
    }

    /** What a search left: its folder and its candidates, best first. */
    public record Result(Path folder, List<Candidate> ranked) {
        public Candidate best() {
            return ranked.isEmpty() ? null : ranked.get(0);
        }
    }

    /**
     * Searches over {@code jobFile}'s search block in a new folder {@code <output>/<name>-search-<time>};
     * {@code overrides} as {@code --set} takes them apply to the job and its search block (the folder's job.yaml
     * records the result).
     */
    public Result tune(Path jobFile, List<String> overrides, int workers) {
        String yaml = read(jobFile);
        if (!overrides.isEmpty()) {
            yaml = JobFile.toYaml(JobFile.parse(yaml, jobFile.toString(), overrides));
        }
        SearchPlan plan = validator().validate(yaml, jobFile.toString());
        Path folder = RunFolder.uniqueFolder(Path.of(plan.job().output()), plan.job().name() + "-search").toAbsolutePath();
        write(folder.resolve("job.yaml"), yaml);
        return run(plan, folder, SearchState.fresh(folder.resolve("search.json")), workers);
    }

    /** Goes on with the search in {@code folder}: finished candidates stay as they are. */
    public Result resume(Path folder, int workers) {
        Path root = folder.toAbsolutePath();
        SearchState state = SearchState.load(root.resolve("search.json"));
        SearchPlan plan = validator().validate(read(root.resolve("job.yaml")), root.resolve("job.yaml").toString());
        return run(plan, root, state, workers);
    }

    private SearchValidator validator() {
        return new SearchValidator(workbench.datasets(), workbench.models());
    }

    private Result run(SearchPlan plan, Path folder, SearchState state, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("--workers: must be >= 1, got " + workers);
        }
        ValidationScore score = new ValidationScore(plan.metric(), plan.minimize());
        CandidateTrainer trainer = workers == 1 ? new InProcessTrainer(workbench) : new ProcessTrainer(folder.resolve("logs"), workbench.locations().datasets(), workers);
        MaxTimeCondition budget = budget(plan, state, score);
        List<Integer> rungs = plan.rungs();
        try (Rung pool = new Rung(workers)) {
            for (int r = state.rung(); r < rungs.size(); r++) {
                int epochs = rungs.get(r);
                if (r == 0) {
                    drawAndTrain(plan, folder, state, score, trainer, budget, pool, epochs);
                } else {
                    for (Candidate c : state.all()) {
                        if (c.status().equals("completed") && c.epochs() < epochs || c.status().equals("running")) {
                            if (budget != null && budget.terminate(new SearchProgress(state, score))) {
                                break;
                            }
                            pool.submit(() -> extend(c, epochs, state, score, trainer));
                        }
                    }
                }
                pool.awaitAll();
                if (budget != null && budget.terminate(new SearchProgress(state, score))) {
                    out.println("search: time budget of " + plan.search().budgetMinutes() + " min reached");
                    break;
                }
                if (r + 1 < rungs.size()) {
                    state.advance(r + 1, prune(state, score, plan.search().halving().reduction()));
                }
            }
        }
        List<Candidate> ranked = ranked(state.all(), score);
        new SearchReport(plan, folder).write(state.all(), ranked, state.seconds());
        return new Result(folder, ranked);
    }

    private static MaxTimeCondition budget(SearchPlan plan, SearchState state, ValidationScore score) {
        if (plan.search().budgetMinutes() == null) {
            return null;
        }
        MaxTimeCondition budget = new MaxTimeCondition(Math.round(plan.search().budgetMinutes() * 60_000), TimeUnit.MILLISECONDS);
        budget.initialize(new SearchProgress(state, score));
        // Time spent by earlier processes of this search counts too.
        budget.setEndTime(budget.getEndTime() - Math.round(state.seconds() * 1000));
        return budget;
    }

    /** Rung 0: the generator's candidates, in its order; those already in search.json are not trained again. */
    private void drawAndTrain(SearchPlan plan, Path folder, SearchState state, ValidationScore score, CandidateTrainer trainer,
                              MaxTimeCondition budget, Rung pool, int epochs) {
        CandidateGenerator generator = Generators.of(plan, score);
        for (int i = 0; i < plan.search().candidates() && generator.hasMoreCandidates(); i++) {
            Candidate known = state.get(i).orElse(null);
            if (known == null || !known.finished()) {
                pool.awaitWorker();  // the budget is checked when a candidate could start, not before
                if (budget != null && budget.terminate(new SearchProgress(state, score))) {
                    return;
                }
            }
            org.deeplearning4j.arbiter.optimize.api.Candidate drawn = generator.getCandidate();
            if (drawn.getException() != null) {
                throw new IllegalStateException("Arbiter's " + plan.search().strategy() + " generator could not make candidate "
                        + i + ": " + drawn.getException(), drawn.getException());
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> values = (Map<String, Object>) drawn.getValue();
            if (known != null && known.finished()) {
                report(generator, drawn, known);  // a genetic generator breeds from it as before
                continue;
            }
            Candidate candidate = known != null ? known : Candidate.pending(i, plan.job().name(), values, drawn.getFlatParameters());
            state.put(candidate);
            pool.submit(() -> {
                Path partial = runFolderOrNull(folder.resolve("runs"), candidate.name());
                Candidate done = partial != null && hasCheckpoint(partial)
                        ? extend(candidate.in(partial.toString()), epochs, state, score, trainer)
                        : train(plan, folder, candidate, epochs, state, score, trainer, partial);
                synchronized (generator) {
                    report(generator, drawn, done);
                }
            });
        }
    }

    private static void report(CandidateGenerator generator, org.deeplearning4j.arbiter.optimize.api.Candidate drawn, Candidate c) {
        generator.reportResults(new OptimizationResult(drawn, c.hasScore() ? c.score() : null, c.index(), null, null, null));
    }

    private Candidate train(SearchPlan plan, Path folder, Candidate candidate, int epochs, SearchState state,
                            ValidationScore score, CandidateTrainer trainer, Path cutOff) {
        Path runs = folder.resolve("runs");
        if (cutOff != null) {
            deleteTree(cutOff);  // stopped before its first checkpoint: nothing to go on from
        }
        long start = System.nanoTime();
        state.put(candidate.running());
        out.println("candidate " + candidate.index() + ": " + candidate.values());
        try {
            JobSpec job = plan.candidateJob(candidate.name(), candidate.values(), epochs, runs);
            Path jobFile = folder.resolve("jobs").resolve(candidate.name() + ".yaml");
            write(jobFile, JobFile.toYaml(job));
            trainer.train(job, jobFile);
            return finish(candidate, runFolder(runs, candidate.name()), start, state, score);
        } catch (RuntimeException e) {
            return fail(candidate, runFolderOrNull(runs, candidate.name()), e, start, state);
        }
    }

    private Candidate extend(Candidate candidate, int epochs, SearchState state, ValidationScore score, CandidateTrainer trainer) {
        long start = System.nanoTime();
        state.put(candidate.running());
        Path run = Path.of(candidate.run());
        try {
            trainer.extend(run, epochs);
            return finish(candidate, run, start, state, score);
        } catch (RuntimeException e) {
            return fail(candidate, run, e, start, state);
        }
    }

    private Candidate finish(Candidate candidate, Path run, long start, SearchState state, ValidationScore score) {
        int epochs = score.epochs(run);
        double best = score.of(run);
        Candidate done = candidate.trained(run.toString(), epochs, best, (System.nanoTime() - start) / 1e9);
        state.put(done);
        out.printf("candidate %d: %s = %.5g after %d epochs%n", candidate.index(), score.metricName(), best, epochs);
        return done;
    }

    private Candidate fail(Candidate candidate, Path run, RuntimeException e, long start, SearchState state) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Candidate failed = candidate.failed(run == null ? null : run.toString(), reason, (System.nanoTime() - start) / 1e9);
        state.put(failed);
        out.println("candidate " + candidate.index() + " failed: " + reason);
        return failed;
    }

    /** Stops all but the best 1/η of the candidates that finished the rung (at least one goes on). */
    private static List<Candidate> prune(SearchState state, ValidationScore score, int reduction) {
        List<Candidate> ranked = ranked(state.all().stream().filter(c -> c.status().equals("completed")).toList(), score);
        int keep = Math.max(1, (int) Math.ceil(ranked.size() / (double) reduction));
        return ranked.subList(keep, ranked.size()).stream().map(Candidate::stopped).toList();
    }

    /**
     * Candidates with a score, best first, then the rest by index. A candidate halving stopped early keeps its rank:
     * its run folder records the epochs it trained, so best.yaml reproduces whichever wins.
     */
    static List<Candidate> ranked(List<Candidate> candidates, ValidationScore score) {
        Comparator<Candidate> byScore = Comparator.comparingDouble(c -> score.minimize() ? c.score() : -c.score());
        List<Candidate> ranked = new ArrayList<>(candidates.stream().filter(Candidate::hasScore).sorted(byScore).toList());
        candidates.stream().filter(c -> !c.hasScore()).forEach(ranked::add);
        return ranked;
    }

    private static Path runFolder(Path runs, String name) {
        Path run = runFolderOrNull(runs, name);
        if (run == null) {
            throw new IllegalStateException(runs + ": no run folder " + name + "-* after training");
        }
        return run;
    }

    private static Path runFolderOrNull(Path runs, String name) {
        if (!Files.isDirectory(runs)) {
            return null;
        }
        try (Stream<Path> folders = Files.list(runs)) {
            return folders.filter(p -> p.getFileName().toString().startsWith(name + "-")).sorted().reduce((a, b) -> b).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(runs + ": cannot list", e);
        }
    }

    private static boolean hasCheckpoint(Path run) {
        try {
            return new RunFolder(run).hasCheckpoint();
        } catch (IOException e) {
            throw new UncheckedIOException(run + ": cannot list its checkpoints", e);
        }
    }

    private static void deleteTree(Path run) {
        try {
            new RunFolder(run).delete();
        } catch (IOException e) {
            throw new UncheckedIOException(run + ": cannot remove the cut-off run", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write", e);
        }
    }

    /** Runs a rung's candidates, {@code workers} at a time, and waits for them. */
    private static final class Rung implements AutoCloseable {
        private final ExecutorService executor;
        private final Semaphore free;
        private final List<Future<?>> running = new ArrayList<>();

        Rung(int workers) {
            executor = Executors.newFixedThreadPool(workers);
            free = new Semaphore(workers);
        }

        /** Returns once a worker is free (only the search's own thread submits, so it stays free for it). */
        void awaitWorker() {
            free.acquireUninterruptibly();
            free.release();
        }

        void submit(Runnable task) {
            free.acquireUninterruptibly();
            running.add(executor.submit(() -> {
                try {
                    task.run();
                } finally {
                    free.release();
                }
            }));
        }

        void awaitAll() {
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a candidate's task failed: " + e.getCause(), e.getCause());
                }
            }
            running.clear();
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }
}
