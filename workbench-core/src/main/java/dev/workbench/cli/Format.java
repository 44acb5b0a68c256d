package dev.workbench.cli;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How the CLI prints metrics: {@code name value} pairs, four decimals. */
final class Format {
    private Format() {
    }

    static String metrics(Map<String, Double> metrics) {
        return metrics.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue()))
                .collect(Collectors.joining("  "));
    }
}
