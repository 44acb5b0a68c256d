package dev.workbench.models.gnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.JobValidator;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.JobFile;
import dev.workbench.job.JobFileException;
import dev.workbench.models.ModelRegistry;
import dev.workbench.train.SequentialNetwork;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * GraphSAGE on sampled neighbourhoods in minibatches: sampling every neighbour is the full graph, restricted to the
 * rows the targets need; the objective's batches cover the training nodes and are drawn again the same.
 */
class SampledGraphSageTest {
    private static final DataSplits CORA = DatasetRegistry.builtIn().get("cora").load(new DatasetSpec("cora", 2708, null,
            "none", List.of()), 1, DataLocations.fromEnvironment());
    /** More than any Cora node's degree (168): every neighbour is drawn. */
    private static final List<Integer> EVERY_NEIGHBOUR = List.of(1000, 1000);

    private static NodeClassificationObjective prepared(List<Integer> fanouts) {
        NodeClassificationObjective objective = new NodeClassificationObjective(fanouts);
        objective.prepare(CORA);
        return objective;
    }

    /** Two SAGE layers in double precision, without dropout (whose draws depend on the rows). */
    private static NodeGraphNetwork sage() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(11)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.5)).weightInit(WeightInit.XAVIER_UNIFORM).l2(1e-3).list()
                .layer(new GraphSage.Builder().nOut(16).activation(Activation.TANH).build())
                .layer(new GraphSage.Builder().nOut(7).activation(Activation.IDENTITY).build())
                .layer(NodeClassifierFactory.softmaxLoss())
                .setInputType(InputType.feedForward(1433)).build());
        net.init();
        return new NodeGraphNetwork(new SequentialNetwork(net), CORA.graph());
    }

    private static SampledBatch firstBatch(NodeClassificationObjective objective, int batchSize) {
        SampledBatch batch = (SampledBatch) objective.epochBatches(CORA.train(), batchSize, 7, 1).get(0);
        return new SampledBatch(batch.getFeatures().castTo(DataType.DOUBLE), batch.getLabels().castTo(DataType.DOUBLE),
                batch.blocks());
    }

    private static int[] targets(SampledBatch batch) {
        return Arrays.copyOf(batch.blocks().nodes(), batch.blocks().targets());
    }

    private static INDArray rows(INDArray array, int[] rows) {
        return array.get(NDArrayIndex.indices(Arrays.stream(rows).asLongStream().toArray()), NDArrayIndex.all());
    }

    @Test
    void samplingEveryNeighbourGivesTheTargetsTheirFullGraphOutputs() {
        NodeGraphNetwork network = sage();
        SampledBatch batch = firstBatch(prepared(EVERY_NEIGHBOUR), 40);
        INDArray full = rows(network.output(CORA.train().getFeatures().castTo(DataType.DOUBLE)), targets(batch));

        List<GraphSageLayer> layers = List.of((GraphSageLayer) network.net().getLayer(0),
                (GraphSageLayer) network.net().getLayer(1));
        for (int i = 0; i < 2; i++) {
            layers.get(i).runOn(batch.blocks().layers().get(i));
        }
        INDArray sampled = network.net().output(batch.getFeatures(), false);
        layers.forEach(GraphSageLayer::runOnGraph);

        assertArrayEquals(new long[]{40, 7}, sampled.shape());
        assertTrue(batch.getFeatures().size(0) < CORA.graph().nodes(), "the step reads " + batch.getFeatures().size(0)
                + " nodes' features");
        assertArrayEquals(full.toDoubleMatrix()[0], sampled.toDoubleMatrix()[0], 1e-12);
        assertEquals(0.0, full.sub(sampled).amaxNumber().doubleValue(), 1e-12);
    }

    /** The loss of the full-graph step is on the batch's targets, as its labels mask weights them. */
    @Test
    void aStepOnEveryNeighbourMovesTheParametersAsAFullGraphStepOnTheTargets() {
        NodeGraphNetwork sampledStep = sage();
        NodeGraphNetwork fullStep = new NodeGraphNetwork(new SequentialNetwork(sampledStep.net().clone()), CORA.graph());
        INDArray before = sampledStep.net().params().dup();
        SampledBatch batch = firstBatch(prepared(EVERY_NEIGHBOUR), 40);
        int n = CORA.graph().nodes();
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, n, 1);
        for (int target : targets(batch)) {
            mask.putScalar(target, 0, (double) n / 40);
        }

        sampledStep.fit(batch);
        fullStep.fit(new DataSet(CORA.train().getFeatures().castTo(DataType.DOUBLE),
                CORA.train().getLabels().castTo(DataType.DOUBLE), null, mask));

        assertTrue(sampledStep.net().params().sub(before).amaxNumber().doubleValue() > 1e-4, "the step moved nothing");
        assertEquals(fullStep.score(), sampledStep.score(), 1e-10);
        assertEquals(0.0, sampledStep.net().params().sub(fullStep.net().params()).amaxNumber().doubleValue(), 1e-10);
        // After the step the layers are back on the whole graph.
        assertArrayEquals(new long[]{n, 7}, sampledStep.output(CORA.train().getFeatures()).shape());
    }

    @Test
    void anEpochVisitsEveryTrainingNodeOnceInBatchesDrawnAgainTheSame() {
        NodeClassificationObjective objective = prepared(List.of(25, 10));
        assertEquals(5, objective.batchesPerEpoch(CORA.graph().nodes(), 32), "140 training nodes in batches of 32");
        List<DataSet> epoch = objective.epochBatches(CORA.train(), 32, 3, 4);
        assertEquals(5, epoch.size());
        int[] visited = epoch.stream().flatMapToInt(b -> Arrays.stream(targets((SampledBatch) b))).sorted().toArray();
        float[] trainMask = CORA.train().getLabelsMaskArray().toFloatVector();
        assertArrayEquals(IntStream.range(0, trainMask.length).filter(i -> trainMask[i] > 0).toArray(), visited);
        assertEquals(32, epoch.get(0).numExamples(), "a batch counts its targets");
        assertEquals(140 - 4 * 32, epoch.get(4).numExamples());

        SampledBatch again = (SampledBatch) objective.epochBatches(CORA.train(), 32, 3, 4).get(2);
        SampledBatch drawn = (SampledBatch) epoch.get(2);
        assertArrayEquals(drawn.blocks().nodes(), again.blocks().nodes());
        assertEquals(drawn.getFeatures(), again.getFeatures());
        assertEquals(drawn.getLabels(), again.getLabels());
        SampledBatch nextEpoch = (SampledBatch) objective.epochBatches(CORA.train(), 32, 3, 5).get(2);
        assertFalse(Arrays.equals(drawn.blocks().nodes(), nextEpoch.blocks().nodes()));
    }

    @Test
    void fanoutsAreCheckedAgainstTheLayersAtTheirFieldPath() {
        JobValidator validator = new JobValidator(DatasetRegistry.builtIn(), ModelRegistry.builtIn());
        String job = """
                name: sage
                dataset: {name: cora, batch_size: 32, normalization: none}
                model: {family: gnn, architecture: sage, hyperparameters: {hidden: [64, 32], fanouts: %s}}
                training: {epochs: 1}
                """;
        List<String> wrongCount = assertThrows(JobFileException.class, () -> validator.validate(
                JobFile.bind(job.formatted("[25, 10]"), "job.yaml", List.of()), "job.yaml")).problems();
        assertEquals(List.of("model.hyperparameters.fanouts: one per SAGE layer, 3 (hidden [64, 32] and the output "
                + "layer), got 2 [25, 10]"), wrongCount);
        List<String> zero = assertThrows(JobFileException.class, () -> validator.validate(
                JobFile.bind(job.formatted("[25, 0, 10]"), "job.yaml", List.of()), "job.yaml")).problems();
        assertEquals(List.of("model.hyperparameters.fanouts: element 1: must be in [1, 1000000], got 0"), zero);
        validator.validate(JobFile.bind(job.formatted("[25, 10, 5]"), "job.yaml", List.of()), "job.yaml");
    }
}
