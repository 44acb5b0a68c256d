package dev.workbench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.train.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** report.html: one self-contained page (plots embedded as data URIs) with the summary, curves and job. */
public final class ReportHtml {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportHtml() {
    }

    public static void write(RunFolder run, RunSummary summary, List<EpochMetrics> rows, List<Path> plots) throws IOException {
        HtmlPage page = new HtmlPage(summary.job());
        page.paragraph(summary.status() + (summary.message() == null ? "" : ": " + summary.message()), "status");
        page.heading("Test metrics").table(List.copyOf(summary.test().keySet()),
                List.of(summary.test().values().stream().map(HtmlPage::number).toList()));
        page.paragraph(String.format(Locale.ROOT, "%d epochs, best epoch %d (%s), %.1f s wall, %.0f training samples/s, %,d parameters",
                summary.epochsCompleted(), summary.bestEpoch(), summary.monitoredMetric(), summary.wallSeconds(),
                summary.trainSamplesPerSecond(), summary.parameters()), null);
        page.heading("Plots");
        for (Path plot : plots) {
            page.image(plot);
        }
        page.heading("Metrics per epoch");
        if (rows.isEmpty()) {
            page.paragraph("no completed epoch", null);
        } else {
            page.table(header(rows), rows.stream().map(ReportHtml::cells).toList());
        }
        page.heading("Summary").preformatted(JSON.writeValueAsString(summary));
        page.heading("Job").preformatted(Files.readString(run.jobYaml()));
        page.write(run.reportHtml());
    }

    static List<String> header(List<EpochMetrics> rows) {
        List<String> header = new ArrayList<>(List.of("epoch"));
        header.addAll(rows.get(0).values().keySet());
        return header;
    }

    static List<String> cells(EpochMetrics row) {
        List<String> cells = new ArrayList<>(List.of(Integer.toString(row.epoch())));
        row.values().values().forEach(v -> cells.add(HtmlPage.number(v)));
        return cells;
    }
}
