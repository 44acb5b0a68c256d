package dev.workbench.bench;

import dev.workbench.cpu.CpuTraining;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetInfo;
import dev.workbench.data.InputShape;
import dev.workbench.data.Task;
import dev.workbench.data.graph.NodeGraph;
import dev.workbench.job.OptimizerSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.Network;
import dev.workbench.train.TrainingObjective;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One full-graph training epoch of GCN and GAT on a synthetic graph (default 100,000 nodes, 1,000,000 random edges,
 * 128 features, 7 classes, 10% training nodes), with its wall time and the process's peak resident memory: the
 * message passing runs over the edge list, so memory grows with the edges. Not JMH: one epoch is seconds.
 *
 * <p>usage: LargeGraphEpoch [nodes] [edges] [features] (run as benchmarks/run runs its JVMs)
 */
public final class LargeGraphEpoch {
    private LargeGraphEpoch() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int edges = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int features = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        Random random = new Random(1);
        NodeGraph graph = new NodeGraph(nodes, random.ints(edges, 0, nodes).toArray(), random.ints(edges, 0, nodes).toArray());
        INDArray x = Nd4j.rand(DataType.FLOAT, nodes, features);
        INDArray y = Nd4j.zeros(DataType.FLOAT, nodes, 7);
        float[] mask = new float[nodes];
        for (int i = 0; i < nodes; i++) {
            y.putScalar(i, random.nextInt(7), 1f);
            mask[i] = random.nextInt(10) == 0 ? 10f : 0f;
        }
        DataSet train = new DataSet(x, y, null, Nd4j.createFromArray(mask).reshape(nodes, 1));
        DatasetInfo info = new DatasetInfo("synthetic", "random graph", nodes, Task.CLASSIFICATION,
                InputShape.tabular(features), IntStream.range(0, 7).mapToObj(Integer::toString).toList(), List.of(),
                true, 0, "generated", "none", "none");
        DataSplits data = new DataSplits(info, train, train, train, null, graph);
        System.out.printf("graph: %,d nodes, %,d edges, %d features; peak RSS after building it %s%n", nodes, edges,
                features, peakResident());
        for (String architecture : List.of("gcn", "gat")) {
            ModelFactory factory = ModelRegistry.builtIn().get("gnn", architecture);
            TrainingObjective objective = factory.objective(info);
            objective.prepare(data);
            TrainingSpec training = new TrainingSpec(1, new OptimizerSpec("adam", 0.01, null, null), null, null, null, null);
            Network network = CpuTraining.forTraining(objective.network(factory.build(new ModelContext(info,
                    Hyperparameters.resolve(factory.hyperparameters(), Map.of()), new BaseConfiguration(1, training, 1)))));
            long start = System.nanoTime();
            network.fit(train);
            double first = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            network.fit(train);
            double second = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s: epoch %.2f s (first, with warm-up %.2f s), loss %.4f; peak RSS so far %s%n",
                    architecture, second, first, network.score(), peakResident());
        }
    }

    private static String peakResident() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .map(l -> l.substring(6).trim()).findFirst().orElse("unknown");
    }
}
