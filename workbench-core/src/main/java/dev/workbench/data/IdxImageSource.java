package dev.workbench.data;

import dev.workbench.job.DatasetSpec;
import java.nio.file.Path;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Images with a fixed train/test split in four IDX files (the MNIST format, plain or gzipped): MNIST, its 10,000-digit
 * subset, Fashion-MNIST. Validation is carved from the training images; the test images are always the dataset's own.
 */
public final class IdxImageSource implements DatasetSource {
    private final DatasetInfo info;
    private final Files files;

    /** The four file names in the dataset's folder. */
    public record Files(String trainImages, String trainLabels, String testImages, String testLabels) {
        /** {@code <train>-images-idx3-ubyte<suffix>} and so on, as the MNIST distribution names them. */
        public static Files named(String train, String test, String suffix) {
            return new Files(train + "-images-idx3-ubyte" + suffix, train + "-labels-idx1-ubyte" + suffix,
                    test + "-images-idx3-ubyte" + suffix, test + "-labels-idx1-ubyte" + suffix);
        }
    }

    public IdxImageSource(DatasetInfo info, Files files) {
        this.info = info;
        this.files = files;
    }

    @Override
    public DatasetInfo info() {
        return info;
    }

    @Override
    public DataSplits load(DatasetSpec spec, long seed, DataLocations locations) {
        Path folder = locations.verifiedFolder(info);
        DataSet train = read(folder, files.trainImages(), files.trainLabels());
        DataSet test = read(folder, files.testImages(), files.testLabels());
        return DataSplits.withFixedTest(info, train, test, spec, seed);
    }

    private DataSet read(Path folder, String images, String labels) {
        return new DataSet(IdxFile.images(folder.resolve(images)),
                OneHot.encode(IdxFile.labels(folder.resolve(labels)), info.numClasses()));
    }
}
