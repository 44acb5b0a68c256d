package dev.workbench.bench;

import dev.workbench.cpu.CpuTraining;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.OptimizerSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.Network;
import dev.workbench.train.TrainingObjective;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The fixed reference workloads, built through the workbench's own factories so the benchmark measures what
 * users run. Definitions match other frameworks' so the numbers compare:
 * W1 MLP 784-512-256-10 ReLU, softmax cross-entropy, Adam 1e-3, batch 128;
 * W2 LeNet conv5x5 20 - maxpool 2 - conv5x5 50 - maxpool 2 - dense 500 - 10 on 1x28x28, batch 64;
 * W3 character LSTM: one-hot vocabulary 65, hidden 256, 1 layer, sequence 100, batch 32, softmax at every step;
 * W4 transformer encoder block: d_model 128, 4 heads, feed-forward 512 (ReLU), post-LN, no dropout, over word ids
 * (sequence 64, batch 32) embedded to 128 plus learned positions, mean over time, 2-class softmax;
 * W5 GCN and W6 GAT on Cora with the papers' settings (examples/jobs/cora-gcn.yaml, cora-gat.yaml): a step is one
 * full-batch training epoch (every node forward, the loss on the 140 training nodes, dropout on), so their unit is
 * epochs, not samples;
 * W7 DCGAN on MNIST (the mnist-dcgan job's networks), batch 64: one discriminator and one generator update a step;
 * W8 GPT-style character decoder (transformer/gpt as the shakespeare-char-gpt-small job): 4 causal pre-LN blocks,
 * d_model 128, 4 heads, feed-forward 512 (GELU), no dropout, learned positions, context 64, vocabulary 65, batch 32.
 * Families without a cross-framework reference add their default model (AE).
 */
public enum Workload {
    W1("dense", "mlp", Map.of("hidden", List.of(512, 256)), 128,
            784L * 512 + 512L * 256 + 256L * 10, Workload::mnist),
    W2("cnn", "lenet5", Map.of(), 64,
            24L * 24 * 20 * 25 + 8L * 8 * 50 * 20 * 25 + 800L * 500 + 500L * 10, Workload::mnist),
    // Per step: 4 gates x 256 x (65 inputs + 256 recurrent) and the 256 -> 65 output, over 100 steps.
    W3("rnn", "lstm", Map.of("hidden", List.of(256)), 32,
            100L * (4L * 256 * (65 + 256) + 256L * 65), Workload::shakespeareOneHot),
    // Per example, 64 steps: Q, K, V, output projections 4 x 128 x 128 per step, scores Q Kᵀ and weights x V
    // 64 x 64 x 128 each, feed-forward 2 x 128 x 512 per step, and the 128 -> 2 head.
    W4("transformer", "encoder", Map.of("d_model", 128, "heads", 4, "ff", 512, "layers", 1, "dropout", 0.0), 32,
            64L * 4 * 128 * 128 + 2L * 64 * 64 * 128 + 64L * 2 * 128 * 512 + 128L * 2, Workload::sentimentTokens),
    /** The autoencoder family's reference: the default dense autoencoder 784-256-64-256-784 on MNIST, batch 128. */
    AE("autoencoder", "dense", Map.of(), 128,
            784L * 256 + 256L * 64 + 64L * 256 + 256L * 784, () -> reconstruction(mnist())),
    // GCN 1433-16-7 (dropout 0.5, L2 5e-4 on the first layer, Adam 0.01). Per epoch: the products X W of both
    // layers (the first over the features' nonzeros, all it needs) and the propagation over Cora's 13,264 entries
    // (edges both ways and self-loops).
    W5("gnn", "gcn", Map.of(), 1, 0.01,
            Cora.NONZEROS * 16 + Cora.NODES * 16L * 7 + Cora.ENTRIES * (16L + 7), Workload::cora),
    // GAT 8 heads x 8 (ELU, concatenated) then 1 averaged output head (dropout 0.6 on inputs and attention, L2 5e-4,
    // Adam 0.005). Per epoch: the projections (the first over the features' nonzeros), both attention dots per node
    // and head, and the weighted sums over the entries.
    W6("gnn", "gat", Map.of(), 1, 0.005,
            Cora.NONZEROS * 64 + Cora.NODES * (64L * 7 + 2L * 64 + 2L * 7) + Cora.ENTRIES * (64L + 7), Workload::cora),
    // DCGAN as the mnist-dcgan job (filters 64, latent 100, Adam 2e-4 with beta1 0.5, weights from N(0, 0.02)): a step
    // is one discriminator update on 64 real digits and 64 generated ones, then one generator update through the
    // updated discriminator. Per real example: the generator once (z -> 6272, deconvolutions 128 -> 64 on 7x7 -> 14x14
    // and 64 -> 1 on 14x14 -> 28x28) and the discriminator three times (real, generated, and for the generator's
    // gradient: convolutions 1 -> 64 on 28x28 -> 14x14, 64 -> 128 on 14x14 -> 7x7, and 6272 -> 1).
    W7("gan", "dcgan", Map.of("filters", 64, "latent", 100), 64, 2e-4,
            Dcgan.GENERATOR + 3 * Dcgan.DISCRIMINATOR, Workload::mnist),
    // Per example, 64 positions and 4 blocks as W4's (the attention products counted whole, as W4's, though the
    // causal mask discards half of the scores), and the 128 -> 65 head at every position.
    W8("transformer", "gpt", Map.of("d_model", 128, "heads", 4, "ff", 512, "layers", 4, "activation", "gelu",
            "norm", "pre", "positions", "learned", "dropout", 0.0), 32,
            4 * (64L * 4 * 128 * 128 + 2L * 64 * 64 * 128 + 64L * 2 * 128 * 512) + 64L * 128 * 65,
            Workload::shakespeareContexts);

    /** W7's multiply-adds of one forward pass of each network (per transposed convolution: input pixels x in x out x k²). */
    private static final class Dcgan {
        static final long GENERATOR = 100L * 6272 + 7L * 7 * 128 * 64 * 16 + 14L * 14 * 64 * 16;
        static final long DISCRIMINATOR = 14L * 14 * 64 * 16 + 7L * 7 * 128 * 64 * 16 + 6272L;
    }

    /** Cora's size, for the graph workloads' operation counts (a holder: enum constants cannot read the enum's). */
    private static final class Cora {
        static final long NODES = 2708;
        /** 5,278 undirected edges both ways plus a self-loop per node. */
        static final long ENTRIES = 2 * 5278 + NODES;
        /** Word occurrences: the nonzero entries of the 2,708 x 1,433 feature matrix. */
        static final long NONZEROS = 49_216;
    }

    /** Sentiment vocabulary the W4 embedding reads (PyTorch's side uses the same size). */
    public static final int W4_VOCABULARY = 1685;

    private final String family;
    private final String architecture;
    private final Map<String, Object> hyperparameters;
    private final int batch;
    private final double learningRate;
    private final long forwardMacs;
    private final java.util.function.Supplier<DataSplits> data;

    Workload(String family, String architecture, Map<String, Object> hyperparameters, int batch, long forwardMacs,
             java.util.function.Supplier<DataSplits> data) {
        this(family, architecture, hyperparameters, batch, 1e-3, forwardMacs, data);
    }

    Workload(String family, String architecture, Map<String, Object> hyperparameters, int batch, double learningRate,
             long forwardMacs, java.util.function.Supplier<DataSplits> data) {
        this.family = family;
        this.architecture = architecture;
        this.hyperparameters = hyperparameters;
        this.batch = batch;
        this.learningRate = learningRate;
        this.forwardMacs = forwardMacs;
        this.data = data;
    }

    /** The real data this workload reads. */
    public DataSplits data() {
        return data.get();
    }

    /** Family/architecture, for the results table. */
    public String model() {
        return family + "/" + architecture;
    }

    /** Examples per step; 1 for a graph workload, whose step is one epoch over the whole graph. */
    public int batch() {
        return batch;
    }

    /** What {@link #batch()} counts: samples, or for a graph workload epochs. */
    public String unit() {
        return family.equals("gnn") ? "epochs" : "samples";
    }

    /** FLOPs of one example's forward pass (2 per multiply-add of the dense and convolution layers). */
    public double forwardFlops() {
        return 2.0 * forwardMacs;
    }

    /** FLOPs of one training example: forward plus a backward pass of twice its cost. */
    public double trainingFlops() {
        return 3 * forwardFlops();
    }

    /** The splits as an autoencoder learns them: the inputs are the targets. */
    private static DataSplits reconstruction(DataSplits labelled) {
        return ModelRegistry.builtIn().get("autoencoder", "dense").objective(labelled.info()).prepare(labelled);
    }

    /** Real MNIST digits scaled to [0,1]. */
    public static DataSplits mnist() {
        return DatasetRegistry.builtIn().get("mnist-10k").load(new DatasetSpec("mnist-10k", 64, new SplitSpec(0.1, 0.2), "scale", List.of()),
                1, DataLocations.fromEnvironment());
    }

    /**
     * Tiny Shakespeare windows of 100 characters as one-hot vectors ({@code [n, 65, 100]}), the W3 input as other
     * frameworks define it (the workbench's own jobs feed ids to an embedding instead); the first 256 windows.
     */
    public static DataSplits shakespeareOneHot() {
        DataSplits ids = DatasetRegistry.builtIn().get("tinyshakespeare").load(
                new DatasetSpec("tinyshakespeare", 32, null, "none", List.of(), null, 100, 256, null), 1,
                DataLocations.fromEnvironment()).withTrainLimit(256);
        int vocabulary = ids.info().labels().size();
        org.nd4j.linalg.api.ndarray.INDArray idArray = ids.train().getFeatures();
        int n = (int) idArray.size(0);
        org.nd4j.linalg.api.ndarray.INDArray oneHot = org.nd4j.linalg.factory.Nd4j.zeros(n, vocabulary, 100);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < 100; t++) {
                oneHot.putScalar(new long[]{i, idArray.getInt(i, 0, t), t}, 1f);
            }
        }
        dev.workbench.data.DatasetInfo info = ids.info();
        dev.workbench.data.DatasetInfo oneHotInfo = new dev.workbench.data.DatasetInfo(info.name(), info.description(),
                info.samples(), info.task(), dev.workbench.data.InputShape.sequence(vocabulary, 100), info.labels(),
                info.featureNames(), info.fixedTestSplit(), 0, info.source(), info.license(), info.folder());
        DataSet train = new DataSet(oneHot, ids.train().getLabels());
        return new DataSplits(oneHotInfo, train, train, train, null);
    }

    /**
     * Tiny Shakespeare windows of 64 character ids, each labelled with the next character at every position, as the
     * shakespeare-char-gpt jobs read them (vocabulary 65): the W8 input; the first 256 windows.
     */
    public static DataSplits shakespeareContexts() {
        return DatasetRegistry.builtIn().get("tinyshakespeare").load(
                new DatasetSpec("tinyshakespeare", 32, null, "none", List.of(), null, 64, 256, null), 1,
                DataLocations.fromEnvironment()).withTrainLimit(256);
    }

    /**
     * Real review sentences as word ids, 64 per sentence (pre-padded with id 0), labelled positive/negative: the W4
     * input. The vocabulary (words seen twice in the training split) has {@value #W4_VOCABULARY} ids.
     */
    public static DataSplits sentimentTokens() {
        DataSplits data = DatasetRegistry.builtIn().get("sentiment").load(new DatasetSpec("sentiment", 32,
                new SplitSpec(0.15, 0.2), "none", List.of(), null, 64, null, null), 1, DataLocations.fromEnvironment());
        if (data.info().input().vocabulary() != W4_VOCABULARY) {
            throw new IllegalStateException("W4 is defined on a vocabulary of " + W4_VOCABULARY + " words, got "
                    + data.info().input().vocabulary() + ": the sentiment data or its reader changed");
        }
        return data;
    }

    /**
     * Cora with its Planetoid split, as the cora-gcn and cora-gat jobs read it (row-normalised binary features);
     * every split holds all 2,708 nodes, the training split's mask marks its 140.
     */
    public static DataSplits cora() {
        return DatasetRegistry.builtIn().get("cora").load(new DatasetSpec("cora", 2708, null, "none", List.of()), 1,
                DataLocations.fromEnvironment());
    }

    /**
     * The workload's network as the workbench trains it: the factory's DL4J network, through the training objective
     * (a graph network attached to its graph), with the CPU twins in, as {@code workbench train} builds it.
     */
    public Network build(DataSplits data) {
        ModelFactory factory = ModelRegistry.builtIn().get(family, architecture);
        TrainingObjective objective = factory.objective(data.info());
        // The splits come prepared; preparing again binds an objective to the data's structure (the graph).
        objective.prepare(data);
        TrainingSpec training = new TrainingSpec(1, new OptimizerSpec("adam", learningRate, null, null), null, null,
                null, null);
        return CpuTraining.forTraining(objective.network(factory.build(new ModelContext(data.info(),
                Hyperparameters.resolve(factory.hyperparameters(), hyperparameters), new BaseConfiguration(7, training, 100)))));
    }

    /** What one training step fits: the first {@code batch()} training examples, or a graph's whole training split. */
    public DataSet stepBatch(DataSplits data) {
        return data.graph() != null ? data.train() : batch(data, batch);
    }

    /** The first {@code n} training examples as one batch. */
    public static DataSet batch(DataSplits data, int n) {
        return dev.workbench.data.Rows.first(data.train(), n);
    }
}
