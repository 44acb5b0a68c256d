package dev.workbench.models.gnn;

import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetInfo;
import dev.workbench.data.Rows;
import dev.workbench.data.graph.NeighbourSampler;
import dev.workbench.data.graph.NodeGraph;
import dev.workbench.data.graph.SampledBlocks;
import dev.workbench.report.Plots;
import dev.workbench.train.EpochBatches;
import dev.workbench.train.Evaluator;
import dev.workbench.train.ModelManifest;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import dev.workbench.train.TrainingObjective;
import java.io.IOException;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dimensionalityreduction.PCA;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Node classification on one graph (transductive): a split's metrics are those of its own nodes, which the labels
 * mask marks. Training is full batch by default, every epoch one step over all nodes with the loss on the training
 * nodes only; with fanouts (GraphSAGE), every epoch visits the training nodes in shuffled minibatches of target
 * nodes, each step on the targets' sampled neighbourhoods only. Evaluation always runs on the whole graph, every
 * neighbour included. Preparing the data binds this objective to the graph, which the networks it loads are attached
 * to.
 */
final class NodeClassificationObjective implements TrainingObjective {
    private final List<Integer> fanouts;
    private NodeGraph graph;
    private NeighbourSampler sampler;
    private int[] trainingNodes;

    /** Full-batch training. */
    NodeClassificationObjective() {
        this(List.of());
    }

    /** @param fanouts neighbours sampled per layer, the first layer's first; empty for full-batch training */
    NodeClassificationObjective(List<Integer> fanouts) {
        this.fanouts = List.copyOf(fanouts);
    }

    @Override
    public String name() {
        return "node_classification";
    }

    @Override
    public DataSplits prepare(DataSplits labelled) {
        if (labelled.graph() == null) {
            throw new IllegalArgumentException("dataset " + labelled.info().name() + " is not a graph: node "
                    + "classification needs nodes.csv and edges.csv");
        }
        graph = labelled.graph();
        if (!fanouts.isEmpty()) {
            sampler = new NeighbourSampler(graph.normalizedAdjacency(), fanouts);
            trainingNodes = nodesOf(labelled.train());
        }
        return labelled;
    }

    @Override
    public List<String> metricNames() {
        return List.of("loss", "accuracy", "f1");
    }

    /**
     * Full batch: all nodes at once, in the graph's order, since a graph layer mixes every node with its neighbours.
     * Sampled: the training nodes shuffled by seed and epoch, cut into {@code batchSize} targets, each batch's
     * neighbourhoods drawn (when the trainer asks for it) from a generator seeded by seed, epoch and batch alone, so a
     * resumed run draws the same.
     */
    @Override
    public List<DataSet> epochBatches(DataSet train, int batchSize, long seed, int epoch) {
        if (sampler == null) {
            return List.of(train);
        }
        int[] order = EpochBatches.order(trainingNodes.length, seed, epoch);
        int batches = batchesPerEpoch(train.numExamples(), batchSize);
        return new AbstractList<>() {
            @Override
            public int size() {
                return batches;
            }

            @Override
            public DataSet get(int batch) {
                int[] targets = new int[Math.min(batchSize, order.length - batch * batchSize)];
                Arrays.setAll(targets, i -> trainingNodes[order[batch * batchSize + i]]);
                SampledBlocks blocks = sampler.sample(targets,
                        new SplittableRandom((seed * 1_000_003L + epoch) * 1_000_003L + batch));
                return new SampledBatch(Rows.of(train.getFeatures(), blocks.nodes()), Rows.of(train.getLabels(), targets),
                        blocks);
            }
        };
    }

    @Override
    public int batchesPerEpoch(int trainRows, int batchSize) {
        return sampler == null ? 1 : (trainingNodes.length + batchSize - 1) / batchSize;
    }

    @Override
    public Network network(Network built) {
        if (graph == null) {
            throw new IllegalStateException("a node classifier trains on its graph: prepare the data first");
        }
        return new NodeGraphNetwork((SequentialNetwork) built, graph);
    }

    @Override
    public Evaluator.Scores evaluate(Network network, DataSet split, DatasetInfo info) {
        int[] nodes = nodesOf(split);
        INDArray outputs = network.output(split.getFeatures());
        return Evaluator.classification(rows(split.getLabels(), nodes), rows(outputs, nodes), info);
    }

    @Override
    public Network load(Path file, ModelManifest manifest) throws IOException {
        if (graph == null) {
            throw new IllegalStateException("a node classifier loads onto its graph: prepare the data first");
        }
        if (!SequentialNetwork.KIND.equals(manifest.kind())) {
            throw new IOException(file + ": a graph network is one " + SequentialNetwork.KIND + ", this file holds a "
                    + manifest.kind());
        }
        return new NodeGraphNetwork(SequentialNetwork.load(file), graph);
    }

    /** The last hidden layer's node embeddings in 2-D (PCA), coloured by class: what the layers learned to separate. */
    @Override
    public List<Path> plots(Network model, DataSplits prepared, int[] testClasses, Path folder) throws IOException {
        NodeGraphNetwork network = (NodeGraphNetwork) model;
        int hidden = network.net().getnLayers() - 3;
        if (hidden < 0) {
            return List.of();
        }
        INDArray embeddings = network.activations(prepared.test().getFeatures(), hidden).castTo(DataType.DOUBLE);
        INDArray centred = embeddings.subRowVector(embeddings.mean(0));
        INDArray points = centred.mmul(PCA.pca_factor(centred.dup(), 2, false));
        int[] classes = Nd4j.argMax(prepared.test().getLabels(), 1).toIntVector();
        return List.of(Plots.scatter(folder.resolve("embeddings.png"), "Node embeddings of layer " + hidden
                        + " (PCA, every node), by class", points.toDoubleMatrix(), classes, prepared.info().labels()));
    }

    private static int[] nodesOf(DataSet split) {
        float[] mask = split.getLabelsMaskArray().toFloatVector();
        return IntStream.range(0, mask.length).filter(i -> mask[i] > 0).toArray();
    }

    private static INDArray rows(INDArray array, int[] rows) {
        return array.get(NDArrayIndex.indices(java.util.Arrays.stream(rows).asLongStream().toArray()), NDArrayIndex.all());
    }
}
