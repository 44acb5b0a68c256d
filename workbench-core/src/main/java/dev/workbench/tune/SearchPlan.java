package dev.workbench.tune;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.job.HalvingSpec;
import dev.workbench.job.JobFile;
import dev.workbench.job.JobSpec;
import dev.workbench.job.SearchSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A validated search: the job as written (its YAML text, so every candidate is bound and checked exactly as
 * {@code workbench train --set ...} would), the metric that ranks candidates and the epochs of each rung.
 *
 * @param job      the job, search block included
 * @param yaml     the job file's text
 * @param source   where the job came from, for messages
 * @param metric   the validation metric, e.g. {@code val_accuracy}
 * @param minimize whether lower is better
 */
public record SearchPlan(JobSpec job, String yaml, String source, String metric, boolean minimize) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public SearchSpec search() {
        return job.search();
    }

    /** Epochs at the end of each rung: the job's epochs alone without halving; else min, min·η, ... up to them. */
    public List<Integer> rungs() {
        int epochs = job.training().epochs();
        HalvingSpec halving = search().halving();
        List<Integer> rungs = new ArrayList<>();
        if (halving != null) {
            for (long e = halving.minEpochs(); e < epochs; e *= halving.reduction()) {
                rungs.add((int) e);
            }
        }
        rungs.add(epochs);
        return rungs;
    }

    /**
     * The job of one candidate: the job file with the candidate's values set, trained for {@code epochs}, named
     * {@code <job>-cNNN} under the search folder's {@code runs/}.
     */
    public JobSpec candidateJob(String name, Map<String, Object> values, int epochs, Path runs) {
        List<String> overrides = new ArrayList<>();
        values.forEach((path, value) -> overrides.add(path + "=" + json(value)));
        overrides.add("name=" + name);
        overrides.add("output=" + json(runs.toString()));
        overrides.add("training.epochs=" + epochs);
        overrides.add("training.checkpoint_every=1"); // a rung's survivors go on from their last epoch
        overrides.add("search=null");
        return JobFile.parse(yaml, source, overrides);
    }

    /** A value as the text {@code --set} takes: JSON is YAML, and keeps a list a list and a word a string. */
    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value + " as YAML", e);
        }
    }
}
