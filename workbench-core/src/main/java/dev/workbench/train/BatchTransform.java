package dev.workbench.train;

import java.util.Random;
import org.nd4j.linalg.dataset.DataSet;

/** Changes a training minibatch before the network sees it (data augmentation). */
@FunctionalInterface
public interface BatchTransform {
    /**
     * @param random seeded from the run's seed, the epoch and the batch's index, so the same batch gets the same
     *               draws in a resumed run; draw from nothing else
     */
    DataSet apply(DataSet batch, Random random);
}
