package dev.workbench.tune;

import java.util.List;
import java.util.Optional;
import org.deeplearning4j.arbiter.optimize.api.saving.ResultReference;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;

/**
 * The search as Arbiter's termination conditions see a runner: counts and the best score from the search state.
 * The workbench runs candidates itself (Arbiter's local runner can neither prune, resume nor use worker processes),
 * so what only a runner does is unsupported here.
 */
final class SearchProgress implements IOptimizationRunner {
    private final SearchState state;
    private final ValidationScore score;

    SearchProgress(SearchState state, ValidationScore score) {
        this.state = state;
        this.score = score;
    }

    @Override
    public int numCandidatesTotal() {
        return state.all().size();
    }

    @Override
    public int numCandidatesCompleted() {
        return (int) state.all().stream().filter(c -> c.finished() && !c.status().equals("failed")).count();
    }

    @Override
    public int numCandidatesFailed() {
        return (int) state.all().stream().filter(c -> c.status().equals("failed")).count();
    }

    @Override
    public int numCandidatesQueued() {
        return (int) state.all().stream().filter(c -> !c.finished()).count();
    }

    private Optional<Candidate> best() {
        return Tuner.ranked(state.all(), score).stream().filter(Candidate::hasScore).findFirst();
    }

    @Override
    public Double bestScore() {
        return best().map(Candidate::score).orElse(null);
    }

    @Override
    public Long bestScoreTime() {
        return null;  // not recorded: results.csv has each candidate's seconds
    }

    @Override
    public int bestScoreCandidateIndex() {
        return best().map(Candidate::index).orElse(-1);
    }

    @Override
    public List<CandidateInfo> getCandidateStatus() {
        return state.all().stream().map(c -> new CandidateInfo(c.index(), status(c), c.hasScore() ? c.score() : null,
                0L, null, null, c.point(), c.reason())).toList();
    }

    private static CandidateStatus status(Candidate c) {
        return switch (c.status()) {
            case "completed" -> CandidateStatus.Complete;
            case "stopped" -> CandidateStatus.Cancelled;
            case "failed" -> CandidateStatus.Failed;
            case "running" -> CandidateStatus.Running;
            default -> CandidateStatus.Created;
        };
    }

    @Override
    public void execute() {
        throw new UnsupportedOperationException("the tuner runs the search");
    }

    @Override
    public List<ResultReference> getResults() {
        throw new UnsupportedOperationException("results are the candidates' run folders");
    }

    @Override
    public OptimizationConfiguration getConfiguration() {
        throw new UnsupportedOperationException("the search is configured by its job file");
    }

    @Override
    public void addListeners(StatusListener... listeners) {
        throw new UnsupportedOperationException("no status listeners");
    }

    @Override
    public void removeListeners(StatusListener... listeners) {
    }

    @Override
    public void removeAllListeners() {
    }

    @Override
    public void shutdown(boolean awaitTermination) {
    }
}
