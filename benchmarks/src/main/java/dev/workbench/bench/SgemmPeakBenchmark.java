package dev.workbench.bench;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The machine's single-precision matrix-multiply rate through {@code Nd4j.gemm}, the call the workbench's layers
 * make: the ceiling the workloads are measured against. On the oneDNN CPU build libnd4j runs oneDNN's matmul for
 * it; {@code mmuli} into a row-major result, as DL4J's own layers call it, goes to OpenBLAS through a column-major
 * temporary and understated the peak several times over.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SgemmPeakBenchmark {
    @Param({"1024"})
    public int n;

    private INDArray a;
    private INDArray b;
    private INDArray c;

    @Setup
    public void setUp() {
        a = Nd4j.rand(DataType.FLOAT, n, n);
        b = Nd4j.rand(DataType.FLOAT, n, n);
        c = Nd4j.create(DataType.FLOAT, n, n);
    }

    @Benchmark
    public INDArray sgemm() {
        return Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }
}
