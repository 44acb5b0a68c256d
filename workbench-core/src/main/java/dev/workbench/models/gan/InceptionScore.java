package dev.workbench.models.gan;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A classifier-based Inception Score (Salimans et al. 2016, with a digit classifier in place of Inception):
 * {@code exp(mean_x KL(p(y|x) || p(y)))}, where p(y) is the mean of the p(y|x). It is high when each image is
 * classified confidently and the images spread over the classes: 1 for predictions that are all alike, k for
 * one-hot predictions spread evenly over k classes, so at most the number of classes.
 */
final class InceptionScore {
    private InceptionScore() {
    }

    /** @param probabilities one row p(y|x) per image, each summing to 1 */
    static double of(INDArray probabilities) {
        if (probabilities.rank() != 2 || probabilities.rows() == 0) {
            throw new IllegalArgumentException("Inception Score: expected [images, classes] probabilities, got "
                    + java.util.Arrays.toString(probabilities.shape()));
        }
        double[][] p = probabilities.castTo(DataType.DOUBLE).toDoubleMatrix();
        int classes = p[0].length;
        double[] marginal = new double[classes];
        for (double[] row : p) {
            for (int y = 0; y < classes; y++) {
                marginal[y] += row[y] / p.length;
            }
        }
        double kl = 0;
        for (double[] row : p) {
            for (int y = 0; y < classes; y++) {
                // 0 log 0 = 0; p(y) > 0 wherever some p(y|x) > 0
                if (row[y] > 0) {
                    kl += row[y] * (Math.log(row[y]) - Math.log(marginal[y]));
                }
            }
        }
        return Math.exp(kl / p.length);
    }
}
