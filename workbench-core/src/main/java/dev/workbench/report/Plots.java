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
     * Writes rows of grey images (one INDArray of flattened images per row) as one PNG. With
     * {@code scaleByFirstRow} each column is scaled by the grey range of its image in the first row (so a
     * reconstruction is shown on its original's scale); otherwise each image by its own range.
     */
    public static Path imageRows(Path file, List<org.nd4j.linalg.api.ndarray.INDArray> rows, int height, int width,
                                 boolean scaleByFirstRow) throws IOException {
        int n = (int) rows.get(0).rows();
        int zoom = Math.max(1, 84 / Math.max(height, width));
        java.awt.image.BufferedImage grid = new java.awt.image.BufferedImage(n * (width * zoom + 4), rows.size() * (height * zoom + 4),
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < n; i++) {
            float[] reference = rows.get(0).getRow(i).toFloatVector();
            for (int r = 0; r < rows.size(); r++) {
                float[] image = rows.get(r).getRow(i).toFloatVector();
                float[] range = range(scaleByFirstRow ? reference : image);
                for (int p = 0; p < height * width; p++) {
                    int level = Math.round(255 * Math.min(1f, Math.max(0f, (image[p] - range[0]) / range[1])));
                    for (int dy = 0; dy < zoom; dy++) {
                        for (int dx = 0; dx < zoom; dx++) {
                            grid.getRaster().setSample(i * (width * zoom + 4) + 2 + (p % width) * zoom + dx,
                                    r * (height * zoom + 4) + 2 + (p / width) * zoom + dy, 0, level);
                        }
                    }
                }
            }
        }
        javax.imageio.ImageIO.write(grid, "png", file.toFile());
        return file;
    }

    /** Writes a scatter plot of 2-D points, one series per class. */
    public static Path scatter(Path file, String title, double[][] points, int[] classes, List<String> labels) throws IOException {
        org.knowm.xchart.XYChart chart = new XYChartBuilder().width(640).height(520).title(title).xAxisTitle("z0").yAxisTitle("z1").build();
        chart.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(4);
        for (int c = 0; c < labels.size(); c++) {
            final int label = c;
            double[] x = java.util.stream.IntStream.range(0, points.length).filter(i -> classes[i] == label).mapToDouble(i -> points[i][0]).toArray();
            double[] y = java.util.stream.IntStream.range(0, points.length).filter(i -> classes[i] == label).mapToDouble(i -> points[i][1]).toArray();
            if (x.length > 0) {
                chart.addSeries(labels.get(c), x, y);
            }
        }
        return save(file, chart);
    }

    private static float[] range(float[] values) {
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new float[]{min, Math.max(max - min, 1e-6f)};
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

    /** Writes {@code chart} as a PNG. */
    public static Path save(Path file, Chart<?, ?> chart) throws IOException {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
