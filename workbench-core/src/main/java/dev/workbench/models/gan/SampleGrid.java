package dev.workbench.models.gan;

import dev.workbench.report.Plots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A PNG grid of generated images from seeded noise: {@code columns} per row, and for a conditional generator one
 * row per class (row c holds class c).
 */
public final class SampleGrid {
    private SampleGrid() {
    }

    /** The grid's images and their classes (null for an unconditional generator). */
    public record Samples(INDArray images, int[] classes) {
    }

    /**
     * {@code count} images from noise seeded by {@code seed}; a conditional generator draws {@code label} for all, or
     * when {@code label} is null cycles through its classes row by row.
     */
    public static Samples draw(GanNetwork gan, int count, Integer label, long seed, int columns) {
        GanSettings settings = gan.settings();
        int[] classes = null;
        if (settings.conditional()) {
            if (label != null && (label < 0 || label >= settings.classes())) {
                throw new IllegalArgumentException("--label: the generator knows classes 0.." + (settings.classes() - 1)
                        + ", got " + label);
            }
            classes = new int[count];
            for (int i = 0; i < count; i++) {
                classes[i] = label != null ? label : (i / columns) % settings.classes();
            }
        } else if (label != null) {
            throw new IllegalArgumentException("--label: this generator is not conditional; it takes no class");
        }
        return new Samples(gan.generate(LatentNoise.of(count, settings.latent(), seed), classes), classes);
    }

    /** Writes the grid the objective draws after every epoch: 8 x 8, or 8 per class for a conditional generator. */
    static Path write(GanNetwork gan, long seed, int columns, Path file) throws IOException {
        int count = gan.settings().conditional() ? gan.settings().classes() * columns : columns * columns;
        return write(draw(gan, count, null, seed, columns).images(), gan.settings(), columns, file);
    }

    /** Writes {@code images} (rows of pixels in [0, 1]) in rows of {@code columns}. */
    public static Path write(INDArray images, GanSettings settings, int columns, Path file) throws IOException {
        List<INDArray> rows = new ArrayList<>();
        int n = (int) images.rows();
        for (int start = 0; start < n; start += columns) {
            INDArray row = images.get(NDArrayIndex.interval(start, Math.min(n, start + columns)), NDArrayIndex.all());
            if (row.rows() < columns) {
                // Pad the last row with blank images, so every row of the grid has the same width.
                row = org.nd4j.linalg.factory.Nd4j.vstack(row, org.nd4j.linalg.factory.Nd4j.zeros(row.dataType(),
                        columns - row.rows(), row.columns()));
            }
            rows.add(row);
        }
        return Plots.imageRows(file, rows, settings.height(), settings.width(), false);
    }
}
