package dev.workbench.models.gan;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Gaussian fitted to feature vectors (mean and unbiased covariance), and the Fréchet distance between two such
 * fits (Heusel et al. 2017's FID, with a digit classifier's features in place of Inception's):
 * {@code ||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2))}.
 *
 * <p>The trace of the square root is taken without forming the square root of the non-symmetric S1 S2: it equals
 * {@code Tr((S1^(1/2) S2 S1^(1/2))^(1/2))}, the sum of the square roots of that symmetric matrix's eigenvalues, and
 * S1^(1/2) comes from S1's own eigen-decomposition (commons-math3's symmetric {@link EigenDecomposition}).
 * Eigenvalues that rounding leaves slightly negative count as 0.
 */
record FeatureGaussian(RealVector mean, RealMatrix covariance) {

    /** @param features one row per sample (at least 2), one column per feature */
    static FeatureGaussian fit(INDArray features) {
        if (features.rank() != 2 || features.rows() < 2) {
            throw new IllegalArgumentException("a Gaussian fit needs at least 2 feature rows, got shape "
                    + java.util.Arrays.toString(features.shape()));
        }
        INDArray x = features.castTo(DataType.DOUBLE);
        INDArray mean = x.mean(0);
        INDArray centred = x.subRowVector(mean);
        INDArray covariance = centred.transpose().mmul(centred).divi(x.rows() - 1);
        return new FeatureGaussian(new ArrayRealVector(mean.toDoubleVector()),
                new Array2DRowRealMatrix(covariance.toDoubleMatrix(), false));
    }

    double frechetDistance(FeatureGaussian other) {
        if (mean.getDimension() != other.mean.getDimension()) {
            throw new IllegalArgumentException("Frechet distance: features of " + mean.getDimension() + " and "
                    + other.mean.getDimension() + " dimensions");
        }
        double meanTerm = mean.subtract(other.mean).getNorm();
        RealMatrix root = squareRoot(covariance);
        RealMatrix product = root.multiply(other.covariance).multiply(root);
        double crossTrace = 0;
        for (double eigenvalue : new EigenDecomposition(symmetrised(product)).getRealEigenvalues()) {
            crossTrace += Math.sqrt(Math.max(eigenvalue, 0));
        }
        return meanTerm * meanTerm + covariance.getTrace() + other.covariance.getTrace() - 2 * crossTrace;
    }

    /** The symmetric positive semi-definite square root V diag(sqrt(max(l, 0))) V^T. */
    private static RealMatrix squareRoot(RealMatrix symmetric) {
        EigenDecomposition eigen = new EigenDecomposition(symmetrised(symmetric));
        double[] values = eigen.getRealEigenvalues();
        RealMatrix v = eigen.getV();
        RealMatrix scaled = v.copy();
        for (int j = 0; j < values.length; j++) {
            scaled.setColumnVector(j, v.getColumnVector(j).mapMultiply(Math.sqrt(Math.max(values[j], 0))));
        }
        return scaled.multiply(v.transpose());
    }

    /** (M + M^T) / 2: removes the rounding asymmetry commons-math's symmetric check would reject. */
    private static RealMatrix symmetrised(RealMatrix m) {
        return m.add(m.transpose()).scalarMultiply(0.5);
    }
}
