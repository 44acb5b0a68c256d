package dev.workbench.tune;

import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GeneticSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;

/** Arbiter's candidate generator for a search's strategy, seeded by the job's seed so a resumed search draws the same. */
final class Generators {
    private Generators() {
    }

    static CandidateGenerator of(SearchPlan plan, ValidationScore score) {
        SearchSpace space = new SearchSpace(plan.search().space());
        CandidateGenerator generator = switch (plan.search().strategy()) {
            case "grid" -> new GridSearchCandidateGenerator(space, plan.search().gridPoints(),
                    GridSearchCandidateGenerator.Mode.Sequential, null);
            case "genetic" -> new GeneticSearchCandidateGenerator.Builder(space, score).build();
            default -> new RandomSearchGenerator(space, null);
        };
        generator.setRngSeed(plan.job().seed());
        return generator;
    }
}
