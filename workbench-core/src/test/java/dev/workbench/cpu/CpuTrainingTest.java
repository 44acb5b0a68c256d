package dev.workbench.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.TestWorkbench;
import dev.workbench.cpu.activation.HostActivation;
import dev.workbench.cpu.norm.HostBatchNorm;
import dev.workbench.cpu.conv.CachedConvolution;
import dev.workbench.cpu.conv.FlatImageInput;
import dev.workbench.cpu.conv.HostMaxPooling;
import dev.workbench.cpu.dense.CachedDense;
import dev.workbench.cpu.embedding.HostEmbeddingSequence;
import dev.workbench.cpu.optim.CpuAdam;
import dev.workbench.cpu.output.HostSequenceSoftmax;
import dev.workbench.cpu.rnn.CachedLstm;
import dev.workbench.cpu.transformer.HostTransformerEncoderBlock;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.job.DatasetSpec;
import dev.workbench.job.SplitSpec;
import dev.workbench.job.TrainingSpec;
import dev.workbench.models.Hyperparameters;
import dev.workbench.models.ModelContext;
import dev.workbench.models.ModelFactory;
import dev.workbench.models.ModelRegistry;
import dev.workbench.models.gan.GanNetwork;
import dev.workbench.models.transformer.TransformerEncoderBlock;
import dev.workbench.train.BaseConfiguration;
import dev.workbench.train.Network;
import dev.workbench.train.SequentialNetwork;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The substitution step: a factory's DL4J network becomes the fast CPU training network and back, keeping its
 * parameters, optimizer state and function. The fast layers' own side-by-side tests (CachedDenseTest,
 * CachedConvolutionTest, ...) prove each twin; this proves that the step puts each where it belongs.
 */
class CpuTrainingTest {
    private static final DataSplits DIGITS = DatasetRegistry.builtIn().get("mnist-10k").load(
            new DatasetSpec("mnist-10k", 32, new SplitSpec(0.1, 0.2), "scale", List.of()), 3, DataLocations.fromEnvironment());

    private static Network build(String family, String architecture, DataSplits data, Map<String, Object> hp) {
        ModelFactory factory = ModelRegistry.builtIn().get(family, architecture);
        return factory.build(new ModelContext(data.info(), Hyperparameters.resolve(factory.hyperparameters(), hp),
                new BaseConfiguration(3, new TrainingSpec(2, null, null, null, null, null), 10)));
    }

    private static MultiLayerNetwork net(Network network) {
        return ((SequentialNetwork) network).net();
    }

    @Test
    void factoriesBuildDl4jsOwnLayers() {
        MultiLayerConfiguration conf = net(build("cnn", "lenet5", DIGITS, Map.of())).getLayerWiseConfigurations();
        assertSame(ConvolutionLayer.class, conf.getConf(0).getLayer().getClass());
        assertSame(SubsamplingLayer.class, conf.getConf(1).getLayer().getClass());
        assertSame(DenseLayer.class, conf.getConf(4).getLayer().getClass());
        assertSame(FeedForwardToCnnPreProcessor.class, conf.getInputPreProcess(0).getClass());
        assertSame(Adam.class, ((BaseLayer) conf.getConf(0).getLayer()).getIUpdater().getClass());
    }

    @Test
    void lenetTrainsOnEveryTwinAndItsFirstLayerSkipsTheInputGradient() {
        MultiLayerConfiguration conf = net(CpuTraining.forTraining(build("cnn", "lenet5", DIGITS, Map.of())))
                .getLayerWiseConfigurations();
        assertFalse(((CachedConvolution) conf.getConf(0).getLayer()).isInputGradient());
        assertInstanceOf(FlatImageInput.class, conf.getInputPreProcess(0));
        assertInstanceOf(HostMaxPooling.class, conf.getConf(1).getLayer());
        assertTrue(((CachedConvolution) conf.getConf(2).getLayer()).isInputGradient());
        assertInstanceOf(HostMaxPooling.class, conf.getConf(3).getLayer());
        assertTrue(((CachedDense) conf.getConf(4).getLayer()).isInputGradient());
        for (int i = 0; i < conf.getConfs().size(); i++) {
            if (conf.getConf(i).getLayer() instanceof BaseLayer layer && layer.getIUpdater() != null) {
                assertInstanceOf(CpuAdam.class, layer.getIUpdater(), "layer " + i);
            }
        }
    }

    @Test
    void aResumedCheckpointKeepsItsTwinsAndItsFirstLayerAsTheyWere() {
        Network once = CpuTraining.forTraining(build("cnn", "lenet5", DIGITS, Map.of()));
        MultiLayerConfiguration twice = net(CpuTraining.forTraining(once)).getLayerWiseConfigurations();
        assertEquals(net(once).getLayerWiseConfigurations(), twice);
        assertFalse(((CachedConvolution) twice.getConf(0).getLayer()).isInputGradient());
        assertInstanceOf(FlatImageInput.class, twice.getInputPreProcess(0));
    }

    @Test
    void wrappedRecurrentLayersAndTheEmbeddingGetTheirTwins() {
        DataSplits reviews = DatasetRegistry.builtIn().get("sentiment").load(new DatasetSpec("sentiment", 32,
                new SplitSpec(0.15, 0.2), "none", List.of(), null, 16, null, null), 7, DataLocations.fromEnvironment());
        MultiLayerConfiguration conf = net(CpuTraining.forTraining(build("rnn", "lstm", reviews,
                Map.of("bidirectional", true, "embedding", 8, "hidden", List.of(8))))).getLayerWiseConfigurations();
        assertInstanceOf(HostEmbeddingSequence.class, conf.getConf(0).getLayer());
        Bidirectional bidirectional = (Bidirectional) conf.getConf(1).getLayer();
        assertInstanceOf(CachedLstm.class, bidirectional.getFwd());
        assertInstanceOf(CachedLstm.class, bidirectional.getBwd());
    }

    @Test
    void aLanguageModelsSoftmaxHeadGetsItsTwinAndGivesItBack() {
        DataSplits shakespeare = DatasetRegistry.builtIn().get("tinyshakespeare").load(new DatasetSpec("tinyshakespeare",
                12, null, "none", List.of(), null, 16, 240, null), 1, DataLocations.fromEnvironment());
        Network fast = CpuTraining.forTraining(build("transformer", "gpt", shakespeare,
                Map.of("d_model", 16, "heads", 2, "ff", 32, "layers", 1)));
        MultiLayerConfiguration conf = net(fast).getLayerWiseConfigurations();
        int head = conf.getConfs().size() - 1;
        assertInstanceOf(HostSequenceSoftmax.class, conf.getConf(head).getLayer());
        assertSame(RnnOutputLayer.class, net(CpuTraining.plain(fast)).getLayerWiseConfigurations().getConf(head)
                .getLayer().getClass());
    }

    @Test
    void plainUndoesTheSubstitutionAndKeepsParametersAndOptimizerState() {
        Network fast = CpuTraining.forTraining(build("cnn", "lenet5", DIGITS, Map.of()));
        DataSet batch = TestWorkbench.firstRows(DIGITS.train(), 32);
        for (int i = 0; i < 3; i++) {
            fast.fit(batch);
        }
        MultiLayerNetwork plain = net(CpuTraining.plain(fast));
        MultiLayerConfiguration conf = plain.getLayerWiseConfigurations();
        assertFalse(conf.toJson().contains("dev.workbench"), conf.toJson());
        assertSame(FeedForwardToCnnPreProcessor.class, conf.getInputPreProcess(0).getClass());
        assertEquals(net(fast).params(), plain.params());
        assertEquals(net(fast).getUpdater().getStateViewArray(), plain.getUpdater().getStateViewArray());
        assertEquals(net(fast).getIterationCount(), plain.getIterationCount());
        assertEquals(net(fast).output(batch.getFeatures(), false), plain.output(batch.getFeatures(), false));
        Adam adam = (Adam) ((BaseLayer) conf.getConf(0).getLayer()).getIUpdater();
        assertEquals(0.001, adam.getLearningRate(), 1e-12, "the job's learning rate at the iteration reached");
    }

    @Test
    void trainingThroughTheTwinsFollowsDl4jsOwnLayers() {
        Network plain = build("cnn", "lenet5", DIGITS, Map.of());
        Network fast = CpuTraining.forTraining(new SequentialNetwork(net(plain).clone()));
        DataSet batch = TestWorkbench.firstRows(DIGITS.train(), 32);
        for (int step = 0; step < 5; step++) {
            plain.fit(batch);
            fast.fit(batch);
            assertEquals(plain.score(), fast.score(), 1e-4 * Math.abs(plain.score()), "loss at step " + step);
        }
        assertTrue(net(plain).params().equalsWithEps(net(fast).params(), 1e-4), "parameters after 5 Adam steps");
    }

    @Test
    void theDcgansActivationAndBatchNormLayersGetTheirTwinAndGiveItBack() {
        GanNetwork fast = (GanNetwork) CpuTraining.forTraining(build("gan", "dcgan", DIGITS, Map.of("filters", 8)));
        MultiLayerConfiguration generator = fast.generator().getLayerWiseConfigurations();
        MultiLayerConfiguration discriminator = fast.discriminator().getLayerWiseConfigurations();
        assertInstanceOf(HostActivation.class, generator.getConf(2).getLayer());
        assertInstanceOf(HostActivation.class, generator.getConf(5).getLayer());
        assertInstanceOf(HostActivation.class, discriminator.getConf(3).getLayer());
        assertInstanceOf(HostBatchNorm.class, generator.getConf(1).getLayer());
        assertInstanceOf(HostBatchNorm.class, generator.getConf(4).getLayer());
        assertInstanceOf(HostBatchNorm.class, discriminator.getConf(2).getLayer());
        fast.fit(TestWorkbench.firstRows(DIGITS.train(), 32));
        GanNetwork plain = (GanNetwork) CpuTraining.plain(fast);
        assertSame(ActivationLayer.class, plain.generator().getLayerWiseConfigurations().getConf(2).getLayer().getClass());
        assertSame(ActivationLayer.class, plain.discriminator().getLayerWiseConfigurations().getConf(3).getLayer().getClass());
        assertSame(BatchNormalization.class, plain.generator().getLayerWiseConfigurations().getConf(1).getLayer().getClass());
        assertSame(BatchNormalization.class, plain.discriminator().getLayerWiseConfigurations().getConf(2).getLayer().getClass());
        assertFalse(plain.discriminator().getLayerWiseConfigurations().toJson().contains("dev.workbench"));
        assertEquals(fast.generator().params(), plain.generator().params());
        assertEquals(fast.discriminator().params(), plain.discriminator().params());
    }

    @Test
    void aBlockWithDropoutInsideTrainsAsItsSameDiffDefinition() {
        DataSplits shakespeare = DatasetRegistry.builtIn().get("tinyshakespeare").load(new DatasetSpec("tinyshakespeare", 12,
                null, "none", List.of(), null, 16, 240, null), 1, DataLocations.fromEnvironment());
        Network plain = CpuTraining.forTraining(build("transformer", "gpt", shakespeare,
                Map.of("d_model", 32, "heads", 4, "ff", 64, "layers", 1)));
        Network dropping = CpuTraining.forTraining(build("transformer", "gpt", shakespeare,
                Map.of("d_model", 32, "heads", 4, "ff", 64, "layers", 1, "attention_dropout", 0.1)));
        assertInstanceOf(HostTransformerEncoderBlock.class, net(plain).getLayerWiseConfigurations().getConf(2).getLayer());
        assertSame(TransformerEncoderBlock.class, net(dropping).getLayerWiseConfigurations().getConf(2).getLayer().getClass());
    }
}
