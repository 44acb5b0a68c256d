package dev.workbench.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.job.JobFile;
import dev.workbench.job.JobSpec;
import dev.workbench.report.HtmlPage;
import dev.workbench.report.MetricsCsv;
import dev.workbench.report.Plots;
import dev.workbench.report.RunFolder;
import dev.workbench.train.EpochMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * {@code workbench compare}: runs side by side on one page, as TensorBoard or MLflow show them: validation curves
 * overlaid, test metrics, hyperparameters and wall time in one table. Any run folders, from a search or not.
 */
public final class RunComparison {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One run as the page shows it. */
    private record Shown(String label, JobSpec job, JsonNode summary, List<EpochMetrics> rows) {
    }

    private RunComparison() {
    }

    /** What a curve's x axis counts: the epoch, or the run's wall seconds at the epoch's end (metrics.csv's column). */
    public enum XAxis {
        EPOCH("epoch"), WALL_SECONDS("wall_seconds");

        private final String column;

        XAxis(String column) {
            this.column = column;
        }

        /** The axis a {@code --x} value names: {@code epoch} or {@code wall_seconds}. */
        public static XAxis named(String name) {
            for (XAxis x : values()) {
                if (x.column.equals(name)) {
                    return x;
                }
            }
            throw new IllegalArgumentException("compare: --x must be epoch or wall_seconds, got '" + name + "'");
        }

        private String title() {
            return this == EPOCH ? "epoch" : "wall time (s)";
        }
    }

    /** Writes the page to {@code output} (its plots beside it, in {@code <output name>-plots/}); returns it. */
    public static Path write(List<Path> runs, Path output) {
        return write(runs, output, XAxis.EPOCH);
    }

    /** As {@link #write(List, Path)}, the validation curves against {@code x}. */
    public static Path write(List<Path> runs, Path output, XAxis x) {
        List<Shown> shown = readAll(runs);
        try {
            Path parent = output.toAbsolutePath().getParent();
            Path plots = Files.createDirectories(parent.resolve(output.getFileName() + "-plots"));
            HtmlPage page = new HtmlPage("Runs compared");
            page.heading("Runs").table(header(shown), shown.stream().map(s -> row(s, testNames(shown))).toList());
            page.heading("Validation curves");
            int i = 0;
            for (String metric : validationNames(shown)) {
                page.image(Plots.save(plots.resolve("curve-" + i++ + ".png"), curves(metric, shown, x)));
            }
            for (Shown s : shown) {
                page.heading("Job of " + s.label()).preformatted(JobFile.toYaml(s.job()));
            }
            page.write(output);
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(output + ": cannot write the comparison", e);
        }
    }

    /**
     * Writes one PNG: {@code metric} of every run against {@code x}, one line per run (as the loss of two model
     * families against wall time); returns it.
     */
    public static Path figure(List<Path> runs, String metric, XAxis x, Path png) {
        List<Shown> shown = readAll(runs);
        for (Shown s : shown) {
            if (s.rows().isEmpty()) {
                throw new IllegalArgumentException("compare: run " + s.label() + " has no epoch in its metrics.csv yet");
            }
            if (!s.rows().get(0).values().containsKey(metric)) {
                throw new IllegalArgumentException("compare: run " + s.label() + " recorded no '" + metric + "'; it has "
                        + s.rows().get(0).values().keySet());
            }
            if (x == XAxis.WALL_SECONDS && !s.rows().get(0).values().containsKey(x.column)) {
                throw new IllegalArgumentException("compare: run " + s.label() + "'s metrics.csv has no wall_seconds "
                        + "column (runs record it since it was added); plot it against --x epoch");
            }
        }
        try {
            Path parent = png.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            return Plots.save(png, curves(metric, shown, x));
        } catch (IOException e) {
            throw new UncheckedIOException(png + ": cannot write the figure", e);
        }
    }

    private static List<Shown> readAll(List<Path> runs) {
        if (runs.size() < 1) {
            throw new IllegalArgumentException("compare: give at least one run folder");
        }
        List<Shown> shown = new ArrayList<>();
        Set<String> labels = new LinkedHashSet<>();
        for (Path run : runs) {
            Shown s = read(run);
            // Runs of different searches may share a folder name; a chart needs distinct series names.
            String label = labels.add(s.label()) ? s.label() : s.label() + " (" + run + ")";
            labels.add(label);
            shown.add(new Shown(label, s.job(), s.summary(), s.rows()));
        }
        return shown;
    }

    private static Shown read(Path dir) {
        RunFolder run = RunFolder.existing(dir);
        JobSpec job = JobFile.load(run.jobYaml(), List.of());
        try {
            JsonNode summary = Files.isRegularFile(run.summaryJson()) ? JSON.readTree(run.summaryJson().toFile()) : null;
            List<EpochMetrics> rows = Files.isRegularFile(run.metricsCsv()) ? MetricsCsv.read(run.metricsCsv()) : List.of();
            return new Shown(dir.getFileName().toString(), job, summary, rows);
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": cannot read its summary.json or metrics.csv (" + e.getMessage() + ")", e);
        }
    }

    private static Set<String> testNames(List<Shown> shown) {
        Set<String> names = new LinkedHashSet<>();
        shown.stream().filter(s -> s.summary() != null).forEach(s -> s.summary().path("test").fieldNames().forEachRemaining(names::add));
        return names;
    }

    private static Set<String> validationNames(List<Shown> shown) {
        Set<String> names = new LinkedHashSet<>();
        shown.forEach(s -> s.rows().stream().findFirst().ifPresent(r -> r.values().keySet().stream()
                .filter(n -> n.startsWith("val_")).forEach(names::add)));
        return names;
    }

    private static List<String> header(List<Shown> shown) {
        List<String> header = new ArrayList<>(List.of("run", "model", "dataset", "status", "epochs", "wall s"));
        header.addAll(testNames(shown));
        header.addAll(List.of("optimizer", "lr", "batch", "hyperparameters"));
        return header;
    }

    private static List<String> row(Shown s, Set<String> tests) {
        JsonNode summary = s.summary();
        List<String> row = new ArrayList<>(List.of(s.label(), s.job().model().family() + "/" + s.job().model().architecture(),
                s.job().dataset().name(), summary == null ? "unfinished" : summary.path("status").asText(),
                Integer.toString(summary == null ? s.rows().size() : summary.path("epochsCompleted").asInt()),
                summary == null ? "" : String.format(Locale.ROOT, "%.1f", summary.path("wallSeconds").asDouble())));
        for (String t : tests) {
            JsonNode v = summary == null ? null : summary.path("test").get(t);
            row.add(v == null || !v.isNumber() ? "" : HtmlPage.number(v.asDouble()));
        }
        row.add(s.job().training().optimizer().type());
        row.add(HtmlPage.number(s.job().training().optimizer().lr()));
        row.add(Integer.toString(s.job().dataset().batchSize()));
        row.add(summary == null ? String.valueOf(s.job().model().hyperparameters()) : summary.path("hyperparameters").toString());
        return row;
    }

    private static XYChart curves(String metric, List<Shown> shown, XAxis axis) {
        XYChart chart = new XYChartBuilder().width(640).height(400).title(metric + " by " + axis.title())
                .xAxisTitle(axis.title()).yAxisTitle(metric).build();
        for (Shown s : shown) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (EpochMetrics r : s.rows()) {
                Double v = r.values().get(metric);
                Double at = axis == XAxis.EPOCH ? Double.valueOf(r.epoch()) : r.values().get(axis.column);
                if (v != null && at != null) {
                    x.add(at);
                    y.add(v);
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(s.label(), x, y);
            }
        }
        return chart;
    }
}
