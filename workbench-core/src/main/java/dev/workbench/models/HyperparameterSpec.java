package dev.workbench.models;

import dev.workbench.naming.ClosestName;
import java.util.List;
import java.util.Optional;

/**
 * One hyperparameter an architecture accepts: its name in the job file, kind, default and allowed range.
 *
 * @param min     smallest allowed value (numbers, and every element of an integer list)
 * @param max     largest allowed value
 * @param choices allowed values of a {@link Kind#CHOICE}
 */
public record HyperparameterSpec(String name, Kind kind, Object defaultValue, double min, double max,
                             List<String> choices, String description) {

    public enum Kind { INT, REAL, CHOICE, INT_LIST, BOOL, TEXT }

    public static HyperparameterSpec integer(String name, int defaultValue, int min, int max, String description) {
        return new HyperparameterSpec(name, Kind.INT, defaultValue, min, max, List.of(), description);
    }

    public static HyperparameterSpec real(String name, double defaultValue, double min, double max, String description) {
        return new HyperparameterSpec(name, Kind.REAL, defaultValue, min, max, List.of(), description);
    }

    public static HyperparameterSpec choice(String name, String defaultValue, List<String> choices, String description) {
        return new HyperparameterSpec(name, Kind.CHOICE, defaultValue, 0, 0, List.copyOf(choices), description);
    }

    public static HyperparameterSpec integers(String name, List<Integer> defaultValue, int min, int max, String description) {
        return new HyperparameterSpec(name, Kind.INT_LIST, List.copyOf(defaultValue), min, max, List.of(), description);
    }

    public static HyperparameterSpec flag(String name, boolean defaultValue, String description) {
        return new HyperparameterSpec(name, Kind.BOOL, defaultValue, 0, 0, List.of(), description);
    }

    /** Free text, such as a path; the default may be empty to mean "not given". */
    public static HyperparameterSpec text(String name, String defaultValue, String description) {
        return new HyperparameterSpec(name, Kind.TEXT, defaultValue, 0, 0, List.of(), description);
    }

    /** What is wrong with {@code value} for this hyperparameter, or empty when it is acceptable. */
    public Optional<String> problemWith(Object value) {
        return switch (kind) {
            case INT -> isWhole(value) ? inRange(((Number) value).doubleValue()) : Optional.of("expected a whole number, got " + show(value));
            case REAL -> value instanceof Number n ? inRange(n.doubleValue()) : Optional.of("expected a number, got " + show(value));
            case BOOL -> value instanceof Boolean ? Optional.empty() : Optional.of("expected true or false, got " + show(value));
            case CHOICE -> value instanceof String s && choices.contains(s) ? Optional.empty()
                    : Optional.of("expected one of " + String.join(", ", choices) + ", got " + show(value)
                    + (value instanceof String s ? ClosestName.hint(s, choices) : ""));
            case INT_LIST -> listProblem(value);
            case TEXT -> value instanceof String ? Optional.empty() : Optional.of("expected text, got " + show(value));
        };
    }

    /** The value as the architecture reads it (whole numbers as Integer, reals as Double). */
    public Object normalise(Object value) {
        return switch (kind) {
            case INT -> ((Number) value).intValue();
            case REAL -> ((Number) value).doubleValue();
            case INT_LIST -> ((List<?>) value).stream().map(v -> ((Number) v).intValue()).toList();
            default -> value;
        };
    }

    /** The allowed values in words, for {@code workbench models}. */
    public String range() {
        return switch (kind) {
            case INT, REAL -> bounds();
            case INT_LIST -> "list of " + bounds();
            case CHOICE -> String.join("|", choices);
            case BOOL -> "true|false";
            case TEXT -> "text";
        };
    }

    private String bounds() {
        return "[" + format(min) + ", " + format(max) + "]";
    }

    private Optional<String> listProblem(Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            return Optional.of("expected a non-empty list of whole numbers, got " + show(value));
        }
        for (int i = 0; i < list.size(); i++) {
            Object element = list.get(i);
            if (!isWhole(element)) {
                return Optional.of("element " + i + ": expected a whole number, got " + show(element));
            }
            Optional<String> range = inRange(((Number) element).doubleValue());
            if (range.isPresent()) {
                return Optional.of("element " + i + ": " + range.get());
            }
        }
        return Optional.empty();
    }

    private Optional<String> inRange(double v) {
        if (Double.isNaN(v) || v < min || v > max) {
            return Optional.of("must be in " + bounds() + ", got " + format(v));
        }
        return Optional.empty();
    }

    private static boolean isWhole(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short;
    }

    private static String show(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
