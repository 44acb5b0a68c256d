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

    /** Writes the page to {@code output} (its plots beside it, in {@code <output name>-plots/}); returns it. */
    public static Path write(List<Path> runs, Path output) {
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
        try {
            Path parent = output.toAbsolutePath().getParent();
            Path plots = Files.createDirectories(parent.resolve(output.getFileName() + "-plots"));
            HtmlPage page = new HtmlPage("Runs compared");
            page.heading("Runs").table(header(shown), shown.stream().map(s -> row(s, testNames(shown))).toList());
            page.heading("Validation curves");
            int i = 0;
            for (String metric : validationNames(shown)) {
                page.image(Plots.save(plots.resolve("curve-" + i++ + ".png"), curves(metric, shown)));
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

    private static XYChart curves(String metric, List<Shown> shown) {
        XYChart chart = new XYChartBuilder().width(640).height(400).title(metric).xAxisTitle("epoch").yAxisTitle(metric).build();
        for (Shown s : shown) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (EpochMetrics r : s.rows()) {
                Double v = r.values().get(metric);
                if (v != null) {
                    x.add((double) r.epoch());
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
