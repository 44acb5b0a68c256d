package dev.workbench.models.gan;

import dev.workbench.report.Plots;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Generated images from seeded noise, drawn as a PNG grid. */
public final class SampleGrid {
    private SampleGrid() {
    }

    /**
     * One image per noise row drawn from {@code seed}; {@code classes} gives each image's class for a conditional
     * generator (null for an unconditional one).
     */
    static INDArray draw(GanNetwork gan, int count, int[] classes, long seed) {
        return gan.generate(LatentNoise.of(count, gan.settings().latent(), seed), classes);
    }

    /** Writes the grid the objective draws after every epoch: 8 x 8, or a row of 8 per class when conditional. */
    static Path writeEpochGrid(GanNetwork gan, long seed, int columns, Path file) throws IOException {
        GanSettings settings = gan.settings();
        int count = settings.conditional() ? settings.classes() * columns : columns * columns;
        int[] classes = null;
        if (settings.conditional()) {
            classes = new int[count];
            for (int i = 0; i < count; i++) {
                classes[i] = i / columns;
            }
        }
        return write(draw(gan, count, classes, seed), settings, columns, file);
    }

    /** Writes {@code images} (rows of pixels in [0, 1]) in rows of {@code columns}, the last one padded blank. */
    static Path write(INDArray images, GanSettings settings, int columns, Path file) throws IOException {
        List<INDArray> rows = new ArrayList<>();
        int n = (int) images.rows();
        for (int start = 0; start < n; start += columns) {
            INDArray row = images.get(NDArrayIndex.interval(start, Math.min(n, start + columns)), NDArrayIndex.all());
            if (row.rows() < columns) {
                row = Nd4j.vstack(row, Nd4j.zeros(row.dataType(), columns - row.rows(), row.columns()));
            }
            rows.add(row);
        }
        return Plots.imageRows(file, rows, settings.height(), settings.width(), false);
    }
}
