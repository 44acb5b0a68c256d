package dev.workbench.models;

import dev.workbench.naming.ClosestName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An architecture's hyperparameters resolved from a job: declared defaults overlaid with the job's values. */
public final class Hyperparameters {
    private final Map<String, Object> values;

    private Hyperparameters(Map<String, Object> values) {
        this.values = values;
    }

    /** Problems with {@code given} against {@code declared}, each as {@code name: what is wrong}. */
    public static List<String> problems(List<HyperparameterSpec> declared, Map<String, Object> given) {
        Map<String, HyperparameterSpec> byName = byName(declared);
        List<String> problems = new ArrayList<>();
        given.forEach((name, value) -> {
            HyperparameterSpec p = byName.get(name);
            if (p == null) {
                problems.add(name + ": unknown hyperparameter" + ClosestName.hint(name, byName.keySet())
                        + "; allowed: " + String.join(", ", byName.keySet()));
            } else {
                p.problemWith(value).ifPresent(problem -> problems.add(name + ": " + problem));
            }
        });
        return problems;
    }

    /** Resolves {@code given} (already free of {@link #problems}) over the declared defaults. */
    public static Hyperparameters resolve(List<HyperparameterSpec> declared, Map<String, Object> given) {
        List<String> problems = problems(declared, given);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (HyperparameterSpec p : declared) {
            values.put(p.name(), p.normalise(given.getOrDefault(p.name(), p.defaultValue())));
        }
        return new Hyperparameters(values);
    }

    public int integer(String name) {
        return (Integer) get(name);
    }

    public double real(String name) {
        return (Double) get(name);
    }

    public String choice(String name) {
        return (String) get(name);
    }

    public String text(String name) {
        return (String) get(name);
    }

    public boolean flag(String name) {
        return (Boolean) get(name);
    }

    @SuppressWarnings("unchecked")
    public List<Integer> integers(String name) {
        return (List<Integer>) get(name);
    }

    /** Every value, defaults included, in declaration order: what the run records. */
    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(values);
    }

    private Object get(String name) {
        Object value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("hyperparameter '" + name + "' is not declared");
        }
        return value;
    }

    private static Map<String, HyperparameterSpec> byName(List<HyperparameterSpec> declared) {
        Map<String, HyperparameterSpec> map = new LinkedHashMap<>();
        declared.forEach(p -> map.put(p.name(), p));
        return map;
    }
}
