package dev.workbench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** One self-contained HTML page (plots inlined as PNG data), the form of every report the workbench writes. */
public final class HtmlPage {
    private final StringBuilder html = new StringBuilder();

    public HtmlPage(String title) {
        html.append("""
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title><style>
                body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}
                table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
                th{background:#f3f3f3}img{max-width:100%%;margin:0.5em 1em 0.5em 0;border:1px solid #eee}
                pre{background:#f7f7f7;padding:1em;overflow:auto}.status{font-weight:bold}
                </style></head><body>
                """.formatted(escape(title)));
        html.append("<h1>").append(escape(title)).append("</h1>");
    }

    public HtmlPage heading(String text) {
        html.append("<h2>").append(escape(text)).append("</h2>");
        return this;
    }

    public HtmlPage paragraph(String text, String cssClass) {
        html.append(cssClass == null ? "<p>" : "<p class=\"" + cssClass + "\">").append(escape(text)).append("</p>");
        return this;
    }

    /** A table whose cells are already text; numbers go through {@link #number}. */
    public HtmlPage table(List<String> header, List<List<String>> rows) {
        html.append("<table><tr>");
        header.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr>");
        for (List<String> row : rows) {
            html.append("<tr>");
            row.forEach(cell -> html.append("<td>").append(escape(cell)).append("</td>"));
            html.append("</tr>");
        }
        html.append("</table>");
        return this;
    }

    public HtmlPage image(Path png) throws IOException {
        html.append("<img alt=\"").append(escape(png.getFileName().toString())).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(Files.readAllBytes(png))).append("\">");
        return this;
    }

    public HtmlPage preformatted(String text) {
        html.append("<pre>").append(escape(text)).append("</pre>");
        return this;
    }

    /** Writes the page atomically. */
    public void write(Path file) throws IOException {
        dev.workbench.io.AtomicFiles.writeString(file, html + "</body></html>\n");
    }

    /** A metric as the reports print it: four significant digits, one decimal from 100 up. */
    public static String number(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.4g", v);
    }

    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
