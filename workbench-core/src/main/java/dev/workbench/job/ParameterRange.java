package dev.workbench.job;

import java.util.List;

/**
 * Where one hyperparameter is drawn from.
 *
 * @param type   {@code float}, {@code int} or {@code choice}; {@code choice} when {@code values} is given, else float
 * @param min    lower bound (float and int), inclusive
 * @param max    upper bound (float and int), inclusive
 * @param scale  {@code linear} or {@code log} (uniform in the logarithm: learning rates, weight decay)
 * @param values the choices (any YAML value: a number, a word, a list such as layer widths)
 */
public record ParameterRange(String type, Double min, Double max, String scale, List<Object> values) {
    public ParameterRange {
        type = type != null ? type : values != null ? "choice" : "float";
        scale = scale == null ? "linear" : scale;
        values = values == null ? List.of() : List.copyOf(values);
    }
}
