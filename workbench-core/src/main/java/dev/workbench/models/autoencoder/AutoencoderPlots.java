package dev.workbench.models.autoencoder;

import dev.workbench.data.DataSplits;
import dev.workbench.report.Plots;
import dev.workbench.train.Network;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The plot every autoencoder of images shares: test inputs above their reconstructions. */
final class AutoencoderPlots {
    private AutoencoderPlots() {
    }

    static List<Path> reconstructions(Network model, DataSplits data, Path folder) throws IOException {
        if (!data.info().input().isImage()) {
            return List.of();
        }
        INDArray originals = data.test().getFeatures().get(NDArrayIndex.interval(0, Math.min(10, data.test().numExamples())),
                NDArrayIndex.all());
        return List.of(Plots.imageRows(folder.resolve("reconstructions.png"), List.of(originals, model.output(originals)),
                data.info().input().height(), data.info().input().width(), true));
    }
}
