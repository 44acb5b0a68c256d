package dev.workbench.models.autoencoder;

import dev.workbench.data.DataSplits;
import dev.workbench.report.Plots;
import dev.workbench.train.ModelManifest;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Reconstruction through a variational bound: the network is trained on the negative ELBO by DL4J's
 * pretraining of its variational layer ({@link VariationalNetwork}) and scored, like any autoencoder, by
 * reconstruction error. Adds decoded draws from the prior and the test set's latent means to the run.
 */
final class VariationalObjective extends ReconstructionObjective {

    @Override
    public String name() {
        return "variational";
    }

    @Override
    public Network load(Path file, ModelManifest manifest) throws IOException {
        if (!SequentialNetwork.KIND.equals(manifest.kind())) {
            throw new IOException(file + ": a variational autoencoder is one " + SequentialNetwork.KIND
                    + ", this file holds a " + manifest.kind());
        }
        return new VariationalNetwork(SequentialNetwork.load(file));
    }

    @Override
    public List<Path> plots(Network model, DataSplits data, int[] testClasses, Path folder) throws IOException {
        VariationalNetwork vae = (VariationalNetwork) model;
        List<Path> plots = new ArrayList<>(super.plots(model, data, testClasses, folder));
        int latent = (int) vae.encode(data.test().getFeatures().get(NDArrayIndex.interval(0, 1), NDArrayIndex.all())).columns();
        if (data.info().input().isImage()) {
            // Decoded draws from the prior: what the model generates, two rows of ten.
            Nd4j.getRandom().setSeed(12345);
            INDArray z = Nd4j.randn(DataType.FLOAT, 20, latent);
            INDArray samples = vae.decode(z);
            plots.add(Plots.imageRows(folder.resolve("samples.png"),
                    List.of(samples.get(NDArrayIndex.interval(0, 10), NDArrayIndex.all()),
                            samples.get(NDArrayIndex.interval(10, 20), NDArrayIndex.all())),
                    data.info().input().height(), data.info().input().width(), false));
        }
        if (testClasses != null && latent >= 2) {
            double[][] points = vae.encode(data.test().getFeatures()).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2))
                    .castTo(DataType.DOUBLE).toDoubleMatrix();
            List<String> classes = java.util.stream.IntStream.range(0, java.util.Arrays.stream(testClasses).max().orElse(0) + 1)
                    .mapToObj(Integer::toString).toList();
            plots.add(Plots.scatter(folder.resolve("latent.png"), latent == 2 ? "Latent means of the test set"
                    : "Latent means of the test set (first 2 of " + latent + " dimensions)", points, testClasses, classes));
        }
        return plots;
    }
}
