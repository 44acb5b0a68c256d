package dev.workbench.report;

import dev.workbench.train.EpochMetrics;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNG plots of a run: loss curves, validation metric curves, learning rate, confusion matrix. */
public final class Plots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /** Writes loss.png, metrics.png and lr.png; returns the files written. */
    public static List<Path> curves(Path folder, List<EpochMetrics> rows) throws IOException {
        List<Path> written = new ArrayList<>();
        if (rows.isEmpty()) {
            return written;
        }
        List<String> names = List.copyOf(rows.get(0).values().keySet());
        written.add(save(folder.resolve("loss.png"), lines("Loss", "loss", rows,
                names.stream().filter(n -> n.endsWith("loss")).toList())));
        List<String> quality = names.stream()
                .filter(n -> n.startsWith("val_") && !n.endsWith("loss")).toList();
        if (!quality.isEmpty()) {
            written.add(save(folder.resolve("metrics.png"), lines("Validation metrics", "value", rows, quality)));
        }
        written.add(save(folder.resolve("lr.png"), lines("Learning rate at epoch end", "lr", rows, List.of("lr"))));
        return written;
    }

    /** Writes confusion.png: rows are true classes, columns predicted classes. */
    public static Path confusion(Path folder, int[][] counts, List<String> labels) throws IOException {
        int n = labels.size();
        HeatMapChart chart = new HeatMapChartBuilder().width(120 + 48 * n).height(100 + 40 * n)
                .title("Confusion matrix (test)").xAxisTitle("predicted").yAxisTitle("true").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setRangeColors(new Color[]{Color.WHITE, new Color(0x1f, 0x4e, 0x9c)});
        List<Number[]> cells = new ArrayList<>();
        for (int actual = 0; actual < n; actual++) {
            for (int predicted = 0; predicted < n; predicted++) {
                cells.add(new Number[]{predicted, actual, counts[actual][predicted]});
            }
        }
        chart.addSeries("count", labels, labels, cells);
        return save(folder.resolve("confusion.png"), chart);
    }

    /**
     * Writes reconstructions.png: the first inputs (top row) above the model's reconstructions (bottom row),
     * each image scaled by its original's grey range.
     */
    public static Path reconstructions(Path folder, org.nd4j.linalg.api.ndarray.INDArray originals,
                                       org.nd4j.linalg.api.ndarray.INDArray reconstructed, int height, int width) throws IOException {
        int n = (int) originals.rows();
        int zoom = Math.max(1, 84 / Math.max(height, width));
        java.awt.image.BufferedImage grid = new java.awt.image.BufferedImage(n * (width * zoom + 4), 2 * (height * zoom + 4),
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < n; i++) {
            float[] original = originals.getRow(i).toFloatVector();
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : original) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            float range = Math.max(max - min, 1e-6f);
            float[][] rows = {original, reconstructed.getRow(i).toFloatVector()};
            for (int r = 0; r < 2; r++) {
                for (int p = 0; p < height * width; p++) {
                    int level = Math.round(255 * Math.min(1f, Math.max(0f, (rows[r][p] - min) / range)));
                    for (int dy = 0; dy < zoom; dy++) {
                        for (int dx = 0; dx < zoom; dx++) {
                            grid.getRaster().setSample(i * (width * zoom + 4) + 2 + (p % width) * zoom + dx,
                                    r * (height * zoom + 4) + 2 + (p / width) * zoom + dy, 0, level);
                        }
                    }
                }
            }
        }
        Path file = folder.resolve("reconstructions.png");
        javax.imageio.ImageIO.write(grid, "png", file.toFile());
        return file;
    }

    private static XYChart lines(String title, String yTitle, List<EpochMetrics> rows, List<String> names) {
        XYChart chart = new XYChartBuilder().width(640).height(400).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        double[] epochs = rows.stream().mapToDouble(EpochMetrics::epoch).toArray();
        for (String name : names) {
            double[] values = rows.stream().mapToDouble(r -> r.get(name)).toArray();
            chart.addSeries(name, epochs, values).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    private static Path save(Path file, Chart<?, ?> chart) throws IOException {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
