package dev.workbench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.io.AtomicFiles;
import dev.workbench.train.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** report.html: one self-contained page (plots embedded as data URIs) with the summary, curves and job. */
public final class ReportHtml {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportHtml() {
    }

    public static void write(RunFolder run, RunSummary summary, List<EpochMetrics> rows, List<Path> plots) throws IOException {
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title><style>
                body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}
                table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
                th{background:#f3f3f3}img{max-width:100%%;margin:0.5em 1em 0.5em 0;border:1px solid #eee}
                pre{background:#f7f7f7;padding:1em;overflow:auto}.status{font-weight:bold}
                </style></head><body>
                """.formatted(escape(summary.job())));
        html.append("<h1>").append(escape(summary.job())).append("</h1>");
        html.append("<p class=\"status\">").append(escape(summary.status()))
                .append(summary.message() == null ? "" : ": " + escape(summary.message())).append("</p>");
        html.append("<h2>Test metrics</h2><table><tr>");
        summary.test().keySet().forEach(k -> html.append("<th>").append(escape(k)).append("</th>"));
        html.append("</tr><tr>");
        summary.test().values().forEach(v -> html.append("<td>").append(format(v)).append("</td>"));
        html.append("</tr></table>");
        html.append(String.format(Locale.ROOT, "<p>%d epochs, best epoch %d (%s), %.1f s wall, %.0f training samples/s, %,d parameters</p>",
                summary.epochsCompleted(), summary.bestEpoch(), escape(summary.monitoredMetric()), summary.wallSeconds(),
                summary.trainSamplesPerSecond(), summary.parameters()));
        html.append("<h2>Plots</h2>");
        for (Path plot : plots) {
            html.append("<img alt=\"").append(escape(plot.getFileName().toString())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(Files.readAllBytes(plot))).append("\">");
        }
        html.append("<h2>Metrics per epoch</h2>").append(table(rows));
        html.append("<h2>Summary</h2><pre>").append(escape(JSON.writeValueAsString(summary))).append("</pre>");
        html.append("<h2>Job</h2><pre>").append(escape(Files.readString(run.jobYaml()))).append("</pre>");
        html.append("</body></html>\n");
        AtomicFiles.writeString(run.reportHtml(), html.toString());
    }

    private static String table(List<EpochMetrics> rows) {
        if (rows.isEmpty()) {
            return "<p>no completed epoch</p>";
        }
        StringBuilder html = new StringBuilder("<table><tr><th>epoch</th>");
        rows.get(0).values().keySet().forEach(k -> html.append("<th>").append(escape(k)).append("</th>"));
        html.append("</tr>");
        for (EpochMetrics row : rows) {
            html.append("<tr><td>").append(row.epoch()).append("</td>");
            for (Map.Entry<String, Double> cell : row.values().entrySet()) {
                html.append("<td>").append(format(cell.getValue())).append("</td>");
            }
            html.append("</tr>");
        }
        return html.append("</table>").toString();
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.4g", v);
    }

    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
