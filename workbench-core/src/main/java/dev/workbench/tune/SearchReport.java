package dev.workbench.tune;

import dev.workbench.io.AtomicFiles;
import dev.workbench.job.JobFile;
import dev.workbench.job.JobSpec;
import dev.workbench.job.ParameterRange;
import dev.workbench.report.HtmlPage;
import dev.workbench.report.Plots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** What a search leaves beside its runs: results.csv, best.yaml, report.html and its plots. */
final class SearchReport {
    private final SearchPlan plan;
    private final Path folder;

    SearchReport(SearchPlan plan, Path folder) {
        this.plan = plan;
        this.folder = folder;
    }

    void write(List<Candidate> byIndex, List<Candidate> ranked, double seconds) {
        try {
            List<String> header = header();
            List<List<String>> rows = byIndex.stream().map(this::row).toList();
            AtomicFiles.writeString(folder.resolve("results.csv"), csv(header, rows));
            Candidate best = ranked.isEmpty() || !ranked.get(0).hasScore() ? null : ranked.get(0);
            if (best != null) {
                AtomicFiles.writeString(folder.resolve("best.yaml"), bestJob(best));
            }
            html(header, ranked.stream().map(this::row).toList(), byIndex, best, seconds);
        } catch (IOException e) {
            throw new UncheckedIOException(folder + ": cannot write the search report", e);
        }
    }

    /** The best candidate's own job.yaml, under the job's name and output: training it again reproduces it. */
    private String bestJob(Candidate best) {
        JobSpec ran = JobFile.load(Path.of(best.run()).resolve("job.yaml"), List.of());
        JobSpec job = plan.job();
        return "# best of search " + folder.getFileName() + ": candidate " + best.index() + ", " + plan.metric() + " = "
                + best.score() + "\n" + JobFile.toYaml(new JobSpec(job.name(), ran.seed(), ran.dataset(), ran.model(),
                ran.training(), job.output(), null));
    }

    private List<String> header() {
        List<String> header = new ArrayList<>(List.of("candidate", "status", "epochs", plan.metric(), "seconds"));
        header.addAll(plan.search().space().keySet());
        header.addAll(List.of("run", "reason"));
        return header;
    }

    private List<String> row(Candidate c) {
        List<String> row = new ArrayList<>(List.of(Integer.toString(c.index()), c.status(), Integer.toString(c.epochs()),
                c.hasScore() ? String.format(Locale.ROOT, "%.6g", c.score()) : "",
                String.format(Locale.ROOT, "%.1f", c.seconds())));
        plan.search().space().keySet().forEach(path -> row.add(SearchPlan.json(c.values().get(path))));
        row.add(c.run() == null ? "" : folder.relativize(Path.of(c.run())).toString());
        row.add(c.reason() == null ? "" : c.reason());
        return row;
    }

    private static String csv(List<String> header, List<List<String>> rows) {
        StringBuilder text = new StringBuilder(line(header));
        rows.forEach(r -> text.append(line(r)));
        return text.toString();
    }

    private static String line(List<String> cells) {
        return cells.stream().map(c -> c.contains(",") || c.contains("\"") || c.contains("\n")
                ? "\"" + c.replace("\"", "\"\"") + "\"" : c).collect(Collectors.joining(",")) + "\n";
    }

    private void html(List<String> header, List<List<String>> ranked, List<Candidate> byIndex, Candidate best,
                      double seconds) throws IOException {
        Path plots = Files.createDirectories(folder.resolve("plots"));
        HtmlPage page = new HtmlPage("Search: " + plan.job().name());
        page.paragraph(String.format(Locale.ROOT, "%s search, %d candidates, %s%s, ranked by %s (%s is better), %.1f s",
                plan.search().strategy(), byIndex.size(), plan.search().halving() == null ? "no halving"
                        : "successive halving over epochs " + plan.rungs(), plan.search().budgetMinutes() == null ? ""
                        : ", budget " + plan.search().budgetMinutes() + " min", plan.metric(),
                plan.minimize() ? "lower" : "higher", seconds), "status");
        if (best != null) {
            page.paragraph("best: candidate " + best.index() + " " + best.values() + ", " + plan.metric() + " = "
                    + HtmlPage.number(best.score()) + "; best.yaml trains it again", null);
        }
        page.heading("Best so far").image(Plots.save(plots.resolve("best-so-far.png"), bestSoFar(byIndex)));
        page.heading("Metric against each hyperparameter");
        int i = 0;
        for (Map.Entry<String, ParameterRange> entry : plan.search().space().entrySet()) {
            page.image(Plots.save(plots.resolve("param-" + i++ + ".png"), against(entry.getKey(), entry.getValue(), byIndex)));
        }
        page.heading("Candidates, best first").table(header, ranked);
        page.heading("Job").preformatted(plan.yaml());
        page.write(folder.resolve("report.html"));
    }

    /** The best metric reached against the search's cumulative training seconds, candidate by candidate. */
    private XYChart bestSoFar(List<Candidate> byIndex) {
        XYChart chart = new XYChartBuilder().width(640).height(400).title("Best " + plan.metric() + " so far")
                .xAxisTitle("training seconds, all candidates").yAxisTitle(plan.metric()).build();
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        double total = 0;
        double best = Double.NaN;
        for (Candidate c : byIndex) {
            total += c.seconds();
            if (c.hasScore() && (Double.isNaN(best) || (plan.minimize() ? c.score() < best : c.score() > best))) {
                best = c.score();
            }
            if (!Double.isNaN(best)) {
                x.add(total);
                y.add(best);
            }
        }
        if (x.isEmpty()) {
            x.add(0.0);
            y.add(0.0);
        }
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setXAxisMax(x.get(x.size() - 1) * 1.05 + 1e-9);
        fixY(chart, y);
        chart.addSeries("best", x, y).setMarker(SeriesMarkers.CIRCLE);
        return chart;
    }

    /** One point per scored candidate; a choice's values are placed at their index in the list. */
    private XYChart against(String path, ParameterRange range, List<Candidate> byIndex) {
        boolean choice = range.type().equals("choice");
        XYChart chart = new XYChartBuilder().width(480).height(360).title(plan.metric() + " vs " + path)
                .xAxisTitle(choice ? path + " (choice index: " + choices(range) + ")" : path).yAxisTitle(plan.metric()).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setXAxisLogarithmic(range.scale().equals("log") && !choice);
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (Candidate c : byIndex) {
            if (c.hasScore()) {
                Object v = c.values().get(path);
                x.add(choice ? range.values().indexOf(v) : ((Number) v).doubleValue());
                y.add(c.score());
            }
        }
        if (x.isEmpty()) {
            x.add(choice ? 0.0 : range.min());
            y.add(0.0);
        }
        // Axes fixed to the search space: XChart's tick search does not end on a log axis whose points span
        // less than a decade's worth of ticks (two candidates close together).
        chart.getStyler().setXAxisMin(choice ? -0.5 : range.min());
        chart.getStyler().setXAxisMax(choice ? range.values().size() - 0.5 : range.max());
        fixY(chart, y);
        chart.addSeries(path, x, y);
        return chart;
    }

    /** The y axis around the points, never of zero height (see {@link #against}). */
    private static void fixY(XYChart chart, List<Double> y) {
        double low = y.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double high = y.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double pad = Math.max((high - low) * 0.05, Math.abs(high) * 0.01 + 1e-9);
        chart.getStyler().setYAxisMin(low - pad);
        chart.getStyler().setYAxisMax(high + pad);
    }

    private static String choices(ParameterRange range) {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < range.values().size(); i++) {
            labels.add(i + "=" + SearchPlan.json(range.values().get(i)));
        }
        return String.join(", ", labels);
    }
}
