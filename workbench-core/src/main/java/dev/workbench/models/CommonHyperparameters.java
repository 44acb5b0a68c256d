package dev.workbench.models;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.nd4j.linalg.activations.Activation;

/** Hyperparameters several architectures share, declared once so they read the same everywhere. */
public final class CommonHyperparameters {
    public static final List<String> ACTIVATIONS = List.of("relu", "leakyrelu", "elu", "gelu", "swish", "tanh", "sigmoid");

    private CommonHyperparameters() {
    }

    public static HyperparameterSpec activation(String defaultValue) {
        return HyperparameterSpec.choice("activation", defaultValue, ACTIVATIONS, "hidden-layer activation");
    }

    public static HyperparameterSpec dropout(double defaultValue) {
        return HyperparameterSpec.real("dropout", defaultValue, 0.0, 0.9, "fraction of units dropped in training (0 = off)");
    }

    public static Activation activation(Hyperparameters hp) {
        return Activation.valueOf(hp.choice("activation").toUpperCase());
    }

    /** A hidden dense layer with the job's activation and dropout. */
    public static DenseLayer hiddenDense(int units, Hyperparameters hp) {
        DenseLayer.Builder dense = new DenseLayer.Builder().nOut(units).activation(activation(hp));
        if (hp.real("dropout") > 0) {
            // DL4J takes the probability of keeping a unit; jobs give the fraction dropped, as most frameworks do.
            dense.dropOut(1.0 - hp.real("dropout"));
        }
        return dense.build();
    }
}
