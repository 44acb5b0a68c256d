package dev.workbench.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HyperparametersTest {
    private static final List<HyperparameterSpec> DECLARED = List.of(
            HyperparameterSpec.integer("units", 8, 1, 64, "units"),
            HyperparameterSpec.real("dropout", 0.0, 0.0, 0.9, "dropout"),
            HyperparameterSpec.choice("activation", "relu", List.of("relu", "tanh"), "activation"),
            HyperparameterSpec.integers("hidden", List.of(4), 1, 16, "hidden"),
            HyperparameterSpec.flag("batch_norm", false, "bn"));

    @Test
    void defaultsFillWhatTheJobLeavesOut() {
        Hyperparameters hp = Hyperparameters.resolve(DECLARED, Map.of("units", 12, "dropout", 0.25));
        assertEquals(12, hp.integer("units"));
        assertEquals(0.25, hp.real("dropout"));
        assertEquals("relu", hp.choice("activation"));
        assertEquals(List.of(4), hp.integers("hidden"));
        assertEquals(List.of("units", "dropout", "activation", "hidden", "batch_norm"), List.copyOf(hp.asMap().keySet()));
    }

    @Test
    void wholeNumbersAreAcceptedWhereRealsAreExpected() {
        assertEquals(0.0, Hyperparameters.resolve(DECLARED, Map.of("dropout", 0)).real("dropout"));
    }

    @Test
    void eachKindOfMistakeIsNamed() {
        List<String> problems = Hyperparameters.problems(DECLARED, Map.of(
                "units", 0.5, "activation", "rleu", "hidden", List.of(4, 99), "batch_norm", "yes"));
        assertEquals(List.of(
                        "activation: expected one of relu, tanh, got 'rleu' (did you mean 'relu'?)",
                        "batch_norm: expected true or false, got 'yes'",
                        "hidden: element 1: must be in [1, 16], got 99",
                        "units: expected a whole number, got 0.5"),
                problems.stream().sorted().toList());
    }
}
