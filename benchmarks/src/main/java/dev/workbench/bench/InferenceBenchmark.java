package dev.workbench.bench;

import dev.workbench.data.DataSplits;
import dev.workbench.onnx.ExportRules;
import dev.workbench.onnx.ModelMetadata;
import dev.workbench.onnx.OnnxExporter;
import dev.workbench.onnx.OnnxRuntimeModel;
import dev.workbench.train.Network;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Inference of a reference workload on its real data: DL4J against ONNX Runtime running the model the
 * workbench exported from the same network. Batch 1 is latency (average time), batch 256 throughput.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InferenceBenchmark {
    @Param({"W1", "W2", "W3", "W4", "AE"})
    public Workload workload;

    @Param({"dl4j", "onnx"})
    public String engine;

    @Param({"1", "256"})
    public int batch;

    private Network network;
    private OnnxRuntimeModel onnx;
    private INDArray input;

    @Setup
    public void setUp() {
        DataSplits data = workload.data();
        network = workload.build(data);
        input = Workload.batch(data, batch).getFeatures();
        if (engine.equals("onnx")) {
            byte[] model = new OnnxExporter(ExportRules.standard()).export((MultiLayerNetwork) network.model(), data.info().input(),
                    ModelMetadata.of(workload.name(), data.info(), null), OnnxExporter.DEFAULT_OPSET).toByteArray();
            onnx = OnnxRuntimeModel.load(model);
        }
    }

    @Benchmark
    public INDArray infer() {
        return engine.equals("onnx") ? onnx.run(input) : network.output(input);
    }

    @TearDown
    public void tearDown() {
        if (onnx != null) {
            onnx.close();
        }
    }
}
