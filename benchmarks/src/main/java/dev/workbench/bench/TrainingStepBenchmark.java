package dev.workbench.bench;

import dev.workbench.data.DataSplits;
import dev.workbench.train.Network;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.dataset.DataSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One optimisation step (forward, backward, Adam update) of a reference workload on a real batch of its data; for
 * the graph workloads (W5, W6) one full-batch epoch on Cora; for the DCGAN (W7) one discriminator and one generator
 * update; for the GPT decoder (W8) one step over 32 windows of 64 characters. Score: steps per second; samples/s = score x batch
 * (benchmarks/run does the conversion), epochs/s = score for the graph workloads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TrainingStepBenchmark {
    @Param({"W1", "W2", "W3", "W4", "AE", "W5", "W6", "W7", "W8"})
    public Workload workload;

    private Network network;
    private DataSet batch;

    @Setup
    public void setUp() {
        DataSplits data = workload.data();
        network = workload.build(data);
        batch = workload.stepBatch(data);
    }

    @Benchmark
    public double trainingStep() {
        network.fit(batch);
        return network.score();
    }
}
