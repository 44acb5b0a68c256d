package dev.workbench.predict;

import dev.workbench.onnx.ModelMetadata;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Turns command-line inputs into raw feature rows: an image file (grey-scaled and resized to the model's
 * input, in the dataset's pixel range), a CSV file (one example per line), or one inline CSV row.
 */
public final class InputReader {
    private InputReader() {
    }

    /** One row of raw features per example in {@code input}. */
    public static List<float[]> read(String input, ModelMetadata model, boolean invert) {
        Path file = Path.of(input);
        String lower = input.toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(file) && (lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg")
                || lower.endsWith(".bmp") || lower.endsWith(".gif"))) {
            return List.of(image(file, model, invert));
        }
        if (Files.isRegularFile(file)) {
            try {
                List<float[]> rows = new ArrayList<>();
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (!lines.get(i).isBlank()) {
                        rows.add(row(lines.get(i), model, file + " line " + (i + 1)));
                    }
                }
                return rows;
            } catch (IOException e) {
                throw new IllegalArgumentException(file + ": unreadable (" + e.getMessage() + ")");
            }
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(input + ": is a folder; give an image, a CSV file or a CSV row");
        }
        if (!input.contains(",") && model.input().features() > 1) {
            throw new IllegalArgumentException(input + ": no such file (nor a row of " + model.input().features()
                    + " comma-separated values)");
        }
        return List.of(row(input, model, "input '" + abbreviate(input) + "'"));
    }

    private static float[] row(String csv, ModelMetadata model, String where) {
        String[] cells = csv.trim().split("\\s*,\\s*");
        if (cells.length != model.input().features()) {
            throw new IllegalArgumentException(where + ": expected " + model.input().features()
                    + " comma-separated values, got " + cells.length);
        }
        float[] values = new float[cells.length];
        for (int i = 0; i < cells.length; i++) {
            try {
                values[i] = Float.parseFloat(cells[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": value " + (i + 1) + " is not a number: '" + cells[i] + "'");
            }
            // Float.parseFloat reads "NaN", "Infinity" and 1e400 (as Infinity): a model answers them with NaN or a
            // confident class, so they are refused here.
            if (!Float.isFinite(values[i])) {
                boolean floatOverflow = Double.isFinite(Double.parseDouble(cells[i]));
                throw new IllegalArgumentException(where + ": value " + (i + 1) + " is not a finite number: '"
                        + cells[i] + "'" + (floatOverflow ? " (beyond a 32-bit float's ±3.4e38)" : ""));
            }
        }
        return values;
    }

    private static float[] image(Path file, ModelMetadata model, boolean invert) {
        if (!model.input().isImage() || model.input().channels() != 1) {
            throw new IllegalArgumentException(file + ": this model takes " + model.input() + " inputs, not grey-level images");
        }
        BufferedImage source;
        try {
            source = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": unreadable image (" + e.getMessage() + ")");
        }
        if (source == null) {
            throw new IllegalArgumentException(file + ": not an image format Java can read");
        }
        int h = model.input().height();
        int w = model.input().width();
        BufferedImage grey = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, w, h, null);
        g.dispose();
        float[] values = new float[h * w];
        double toDatasetRange = model.pixelMax() / 255.0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int level = grey.getRaster().getSample(x, y, 0);
                values[y * w + x] = (float) ((invert ? 255 - level : level) * toDatasetRange);
            }
        }
        return values;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
