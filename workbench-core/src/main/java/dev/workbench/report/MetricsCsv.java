package dev.workbench.report;

import dev.workbench.io.AtomicFiles;
import dev.workbench.train.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** metrics.csv: a header {@code epoch,<metric>...} and one row per epoch, rewritten whole after each epoch. */
public final class MetricsCsv {
    private MetricsCsv() {
    }

    public static void write(Path file, List<EpochMetrics> rows) throws IOException {
        StringBuilder csv = new StringBuilder();
        if (!rows.isEmpty()) {
            csv.append("epoch,").append(String.join(",", rows.get(0).values().keySet())).append('\n');
            for (EpochMetrics row : rows) {
                csv.append(row.epoch());
                row.values().values().forEach(v -> csv.append(',').append(String.format(Locale.ROOT, "%.8g", v)));
                csv.append('\n');
            }
        }
        AtomicFiles.writeString(file, csv.toString());
    }

    public static List<EpochMetrics> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<EpochMetrics> rows = new ArrayList<>();
        if (lines.isEmpty()) {
            return rows;
        }
        String[] header = lines.get(0).split(",");
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            Map<String, Double> values = new LinkedHashMap<>();
            for (int c = 1; c < header.length; c++) {
                values.put(header[c], Double.parseDouble(cells[c]));
            }
            rows.add(new EpochMetrics(Integer.parseInt(cells[0]), values));
        }
        return rows;
    }
}
