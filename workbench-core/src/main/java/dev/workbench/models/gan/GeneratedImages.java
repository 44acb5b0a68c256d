package dev.workbench.models.gan;

import dev.workbench.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What {@code workbench generate} writes from a trained generator: a PNG grid and the raw images as a NumPy
 * {@code .npy} file beside it (float32, shape [count, channels, height, width], pixels in [0, 1]; in Python,
 * {@code numpy.load}). The same seed, count and label give the same images.
 *
 * @param classes each image's class for a conditional generator, null otherwise
 */
public record GeneratedImages(Path grid, Path raw, int[] classes) {
    /** The most images one call draws: a mistyped count would otherwise fill the disk. */
    public static final int MAX_COUNT = 10_000;

    /**
     * Draws {@code count} images from noise seeded by {@code seed} and writes {@code grid} (PNG) and the .npy beside
     * it. A conditional generator draws {@code label} for every image, or, without one, image i as class i mod the
     * number of classes, so that each grid column of a full row holds one class.
     */
    public static GeneratedImages write(GanNetwork gan, int count, Integer label, long seed, Path grid)
            throws IOException {
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("--count: must be 1 to " + MAX_COUNT + " images, got " + count);
        }
        GanSettings settings = gan.settings();
        int[] classes = null;
        if (settings.conditional()) {
            if (label != null && (label < 0 || label >= settings.classes())) {
                throw new IllegalArgumentException("--label: the generator knows classes 0.." + (settings.classes() - 1)
                        + ", got " + label);
            }
            classes = new int[count];
            for (int i = 0; i < count; i++) {
                classes[i] = label != null ? label : i % settings.classes();
            }
        } else if (label != null) {
            throw new IllegalArgumentException("--label: this generator is not conditional; it takes no class");
        }
        INDArray images = SampleGrid.draw(gan, count, classes, seed);
        int columns = settings.conditional() && label == null ? Math.min(count, settings.classes()) : Math.min(count, 8);
        AtomicFiles.write(grid, tmp -> SampleGrid.write(images, settings, columns, tmp));
        Path raw = grid.resolveSibling(stem(grid) + ".npy");
        INDArray shaped = images.reshape('c', count, settings.channels(), settings.height(), settings.width());
        AtomicFiles.write(raw, tmp -> Nd4j.writeAsNumpy(shaped, tmp.toFile()));
        return new GeneratedImages(grid, raw, classes);
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
    }
}
