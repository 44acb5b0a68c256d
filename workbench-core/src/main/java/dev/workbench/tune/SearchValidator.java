package dev.workbench.tune;

import dev.workbench.JobValidator;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.HalvingSpec;
import dev.workbench.job.JobFile;
import dev.workbench.job.JobFileException;
import dev.workbench.job.JobSpec;
import dev.workbench.job.ParameterRange;
import dev.workbench.job.SearchSpec;
import dev.workbench.models.ModelRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a job's search block with field paths, as the job validator checks the rest: every range must be well
 * formed, and every value at its ends (every choice) must make a job that {@code workbench train} accepts, so a
 * search never finds out in its tenth candidate that a path is misspelt.
 */
public final class SearchValidator {
    static final List<String> STRATEGIES = List.of("random", "grid", "genetic");
    private static final List<String> LOWER_IS_BETTER = List.of("loss", "mse", "mae", "error", "perplexity");

    private final DatasetRegistry datasets;
    private final ModelRegistry models;

    public SearchValidator(DatasetRegistry datasets, ModelRegistry models) {
        this.datasets = datasets;
        this.models = models;
    }

    /** @throws JobFileException listing every problem of the job and its search block, prefixed by {@code source} */
    public SearchPlan validate(String yaml, String source) {
        JobValidator jobs = new JobValidator(datasets, models);
        JobSpec job = jobs.validate(JobFile.bind(yaml, source, List.of()), source);
        SearchSpec search = job.search();
        if (search == null) {
            throw new JobFileException(source, List.of("search: missing; `workbench tune` needs a search block "
                    + "(strategy, candidates, metric, space), see README \"Hyperparameter search\""));
        }
        List<String> problems = new ArrayList<>();
        JobValidator.oneOf(problems, "search.strategy", search.strategy(), STRATEGIES);
        if (search.candidates() < 1) {
            problems.add("search.candidates: must be >= 1, got " + search.candidates());
        }
        if (search.budgetMinutes() != null && !(search.budgetMinutes() > 0)) {
            problems.add("search.budget_minutes: must be > 0, got " + search.budgetMinutes());
        }
        if (search.gridPoints() < 2) {
            problems.add("search.grid_points: must be >= 2, got " + search.gridPoints());
        }
        List<String> metrics = models.get(job.model().family(), job.model().architecture())
                .objective(datasets.find(job.dataset().name()).orElseThrow().info())
                .metricNames().stream().map(m -> "val_" + m).toList();
        String metric = search.metric() != null ? search.metric()
                : job.training().earlyStopping() != null ? job.training().earlyStopping().metric() : "val_loss";
        JobValidator.oneOf(problems, "search.metric", metric, metrics);
        if (search.direction() != null) {
            JobValidator.oneOf(problems, "search.direction", search.direction(), List.of("max", "min"));
        }
        halving(search.halving(), job, problems);
        if (search.space().isEmpty()) {
            problems.add("search.space: give at least one job field to vary, e.g. training.optimizer.lr");
        }
        search.space().forEach((path, range) -> space(path, range, yaml, source, jobs, problems));
        if (!problems.isEmpty()) {
            throw new JobFileException(source, problems);
        }
        boolean minimize = search.direction() != null ? search.direction().equals("min")
                : LOWER_IS_BETTER.stream().anyMatch(metric::contains);
        return new SearchPlan(job, yaml, source, metric, minimize);
    }

    private static void halving(HalvingSpec halving, JobSpec job, List<String> problems) {
        if (halving == null) {
            return;
        }
        int epochs = job.training().epochs();
        if (halving.minEpochs() < 1 || halving.minEpochs() >= epochs) {
            problems.add("search.halving.min_epochs: must be in [1, training.epochs = " + epochs + "), got " + halving.minEpochs());
        }
        if (halving.reduction() < 2) {
            problems.add("search.halving.reduction: must be >= 2, got " + halving.reduction());
        }
        if (job.search().space().containsKey("training.epochs")) {
            problems.add("search.space.training.epochs: successive halving sets the epochs of each rung; search them without halving");
        }
    }

    private static void space(String path, ParameterRange range, String yaml, String source, JobValidator jobs,
                              List<String> problems) {
        String field = "search.space." + path;
        if (!SearchSpace.TYPES.contains(range.type())) {
            JobValidator.oneOf(problems, field + ".type", range.type(), SearchSpace.TYPES);
            return;
        }
        JobValidator.oneOf(problems, field + ".scale", range.scale(), SearchSpace.SCALES);
        List<Object> ends;
        if (range.type().equals("choice")) {
            if (range.values().isEmpty()) {
                problems.add(field + ".values: a choice needs at least one value");
                return;
            }
            ends = range.values();
        } else {
            if (range.min() == null || range.max() == null || !(range.min() < range.max())) {
                problems.add(field + ": a " + range.type() + " range needs min < max, got min " + range.min() + ", max " + range.max());
                return;
            }
            if (range.scale().equals("log") && !(range.min() > 0)) {
                problems.add(field + ".min: a log scale needs min > 0, got " + range.min());
                return;
            }
            ends = range.type().equals("int") ? List.of(Math.round(range.min()), Math.round(range.max()))
                    : List.of(range.min(), range.max());
        }
        for (Object value : ends) {
            try {
                jobs.validate(JobFile.bind(yaml, source, List.of(path + "=" + SearchPlan.json(value))), source);
            } catch (JobFileException e) {
                problems.add(field + ": " + SearchPlan.json(value) + " does not make a valid job: " + String.join("; ", e.problems()));
            }
        }
    }
}
