package dev.workbench.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.job.ParameterRange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
    private static Map<String, ParameterRange> ranges() {
        Map<String, ParameterRange> ranges = new LinkedHashMap<>();
        ranges.put("training.optimizer.lr", new ParameterRange("float", 1e-4, 1e-1, "log", null));
        ranges.put("model.hyperparameters.dropout", new ParameterRange("float", 0.0, 0.5, null, null));
        ranges.put("dataset.batch_size", new ParameterRange("int", 8.0, 64.0, null, null));
        ranges.put("model.hyperparameters.width", new ParameterRange("int", 16.0, 256.0, "log", null));
        ranges.put("model.hyperparameters.hidden", new ParameterRange(null, null, null, null, List.of(List.of(16), List.of(32, 16))));
        return ranges;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> draw(CandidateGenerator generator, int n) {
        List<Map<String, Object>> drawn = new ArrayList<>();
        for (int i = 0; i < n && generator.hasMoreCandidates(); i++) {
            drawn.add((Map<String, Object>) generator.getCandidate().getValue());
        }
        return drawn;
    }

    @Test
    void randomDrawsStayInTheirBoundsAndScales() {
        RandomSearchGenerator generator = new RandomSearchGenerator(new SearchSpace(ranges()), null);
        generator.setRngSeed(3);
        List<Map<String, Object>> drawn = draw(generator, 2000);
        int lrBelowGeometricMiddle = 0;
        int lrBelowArithmeticMiddle = 0;
        for (Map<String, Object> v : drawn) {
            double lr = (Double) v.get("training.optimizer.lr");
            assertTrue(lr >= 1e-4 && lr <= 1e-1, "lr " + lr);
            lrBelowGeometricMiddle += lr < Math.sqrt(1e-4 * 1e-1) ? 1 : 0;
            lrBelowArithmeticMiddle += lr < (1e-4 + 1e-1) / 2 ? 1 : 0;
            double dropout = (Double) v.get("model.hyperparameters.dropout");
            assertTrue(dropout >= 0 && dropout <= 0.5, "dropout " + dropout);
            int batch = (Integer) v.get("dataset.batch_size");
            assertTrue(batch >= 8 && batch <= 64, "batch " + batch);
            int width = (Integer) v.get("model.hyperparameters.width");
            assertTrue(width >= 16 && width <= 256, "width " + width);
            assertTrue(List.of(List.of(16), List.of(32, 16)).contains(v.get("model.hyperparameters.hidden")));
        }
        // Log-uniform: half the draws below the geometric middle, log(500)/log(1000) = 90% below the arithmetic one.
        assertEquals(0.5, lrBelowGeometricMiddle / 2000.0, 0.04);
        assertEquals(Math.log(500) / Math.log(1000), lrBelowArithmeticMiddle / 2000.0, 0.03);
        assertEquals(57, new HashSet<>(drawn.stream().map(v -> v.get("dataset.batch_size")).toList()).size(),
                "every batch size in [8, 64] drawn");
    }

    @Test
    void theSameSeedDrawsTheSameCandidates() {
        RandomSearchGenerator a = new RandomSearchGenerator(new SearchSpace(ranges()), null);
        RandomSearchGenerator b = new RandomSearchGenerator(new SearchSpace(ranges()), null);
        a.setRngSeed(9);
        b.setRngSeed(9);
        assertEquals(draw(a, 20), draw(b, 20));
    }

    @Test
    void aGridEnumeratesEveryCombination() {
        Map<String, ParameterRange> ranges = new LinkedHashMap<>();
        ranges.put("training.optimizer.lr", new ParameterRange("float", 1e-3, 1e-1, "log", null));
        ranges.put("model.hyperparameters.hidden", new ParameterRange("choice", null, null, null, List.of(List.of(16), List.of(32))));
        ranges.put("dataset.batch_size", new ParameterRange("int", 16.0, 17.0, null, null));
        GridSearchCandidateGenerator grid = new GridSearchCandidateGenerator(new SearchSpace(ranges), 3,
                GridSearchCandidateGenerator.Mode.Sequential, null);
        List<Map<String, Object>> drawn = draw(grid, 100);
        assertEquals(12, drawn.size(), "3 learning rates x 2 choices x 2 batch sizes");
        Set<List<Object>> distinct = new HashSet<>();
        drawn.forEach(v -> distinct.add(List.copyOf(v.values())));
        assertEquals(12, distinct.size());
        Set<Double> lrs = new HashSet<>();
        drawn.forEach(v -> lrs.add(Math.round((Double) v.get("training.optimizer.lr") * 1e6) / 1e6));
        assertEquals(Set.of(0.001, 0.01, 0.1), lrs, "a log grid: 1e-3, 1e-2, 1e-1");
    }

    @Test
    void aOneValueChoiceIsFixedInAGrid() {
        Map<String, ParameterRange> ranges = new LinkedHashMap<>();
        ranges.put("training.optimizer.type", new ParameterRange(null, null, null, null, List.of("sgd")));
        ranges.put("training.optimizer.lr", new ParameterRange(null, null, null, null, List.of(0.1, 0.01)));
        GridSearchCandidateGenerator grid = new GridSearchCandidateGenerator(new SearchSpace(ranges), 3,
                GridSearchCandidateGenerator.Mode.Sequential, null);
        assertEquals(List.of(Map.of("training.optimizer.type", "sgd", "training.optimizer.lr", 0.1),
                Map.of("training.optimizer.type", "sgd", "training.optimizer.lr", 0.01)), draw(grid, 10));
    }
}
