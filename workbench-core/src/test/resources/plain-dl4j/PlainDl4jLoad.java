import java.io.File;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a DL4J user without the workbench does with a model.zip: restore it with DL4J's ModelSerializer and run it.
 * Arguments, in groups of four: MultiLayerNetwork or ComputationGraph, the model.zip, an input array file and the
 * output array file to write (Nd4j.saveBinary). Exits 3 if any workbench class is visible, so the test cannot pass by accident.
 */
public class PlainDl4jLoad {
    public static void main(String[] args) throws Exception {
        try {
            Class.forName("dev.workbench.Workbench");
            System.err.println("workbench classes are on the class path");
            System.exit(3);
        } catch (ClassNotFoundException expected) {
            // DL4J alone, as it should be.
        }
        for (int i = 0; i < args.length; i += 4) {
            File model = new File(args[i + 1]);
            INDArray input = Nd4j.readBinary(new File(args[i + 2]));
            INDArray output;
            if (args[i].equals("ComputationGraph")) {
                ComputationGraph graph = ModelSerializer.restoreComputationGraph(model, false);
                output = graph.outputSingle(false, input);
            } else {
                MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(model, false);
                output = net.output(input, false);
            }
            Nd4j.saveBinary(output, new File(args[i + 3]));
        }
    }
}
