package dev.workbench.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * Attention probabilities as one PNG: a grid of heatmaps, one row per layer and one column per head, each with the
 * queries down its side (first step at the top) and the keys along its bottom, named by their tokens. Every panel
 * has the same scale, 0 white to 1 dark blue, so heads compare at a glance.
 */
public final class AttentionHeatmaps {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final int TITLE_HEIGHT = 34;

    private AttentionHeatmaps() {
    }

    /**
     * @param tokens  the steps, in order
     * @param weights {@code weights[layer][head][query][key]}, each value in [0, 1]
     */
    public static Path write(Path file, String title, List<String> tokens, double[][][][] weights) throws IOException {
        int n = tokens.size();
        int cell = n <= 16 ? 26 : n <= 40 ? 15 : 10;
        int side = 150 + cell * n;
        int heads = weights[0].length;
        BufferedImage grid = new BufferedImage(heads * side, TITLE_HEIGHT + weights.length * side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title + "   (0 white, 1 dark blue)", 10, 23);
        List<String> keys = shown(tokens);
        List<String> queries = new ArrayList<>(keys);
        java.util.Collections.reverse(queries);  // the chart's y axis grows upwards; the first query goes on top
        for (int layer = 0; layer < weights.length; layer++) {
            for (int head = 0; head < heads; head++) {
                HeatMapChart chart = new HeatMapChartBuilder().width(side).height(side)
                        .title("layer " + layer + ", head " + head).xAxisTitle("key").yAxisTitle("query").build();
                chart.getStyler().setLegendVisible(false);
                chart.getStyler().setPlotContentSize(1.0);
                chart.getStyler().setMin(0).setMax(1);
                chart.getStyler().setRangeColors(new Color[]{Color.WHITE, new Color(0x1f, 0x4e, 0x9c)});
                chart.getStyler().setXAxisLabelRotation(90);
                chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, cell >= 15 ? 11 : 9));
                List<Number[]> cells = new ArrayList<>();
                for (int q = 0; q < n; q++) {
                    for (int k = 0; k < n; k++) {
                        cells.add(new Number[]{k, n - 1 - q, weights[layer][head][q][k]});
                    }
                }
                chart.addSeries("attention", keys, queries, cells);
                g.drawImage(BitmapEncoder.getBufferedImage(chart), head * side, TITLE_HEIGHT + layer * side, null);
            }
        }
        g.dispose();
        javax.imageio.ImageIO.write(grid, "png", file.toFile());
        return file;
    }

    /**
     * Tokens as axis labels: visible marks for a space and a line break, and each step's position before it, so that a
     * token that occurs twice is two labels (the chart places its categories by name).
     */
    private static List<String> shown(List<String> tokens) {
        List<String> labels = new ArrayList<>();
        for (int t = 0; t < tokens.size(); t++) {
            String token = tokens.get(t).replace(" ", "·").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r");
            labels.add(t + " " + token);
        }
        return labels;
    }
}
