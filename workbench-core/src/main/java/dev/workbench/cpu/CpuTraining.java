package dev.workbench.cpu;

import dev.workbench.cpu.activation.HostActivation;
import dev.workbench.cpu.conv.CachedConvolution;
import dev.workbench.cpu.conv.CachedDeconvolution;
import dev.workbench.cpu.conv.FlatImageInput;
import dev.workbench.cpu.conv.HostMaxPooling;
import dev.workbench.cpu.dense.CachedDense;
import dev.workbench.cpu.embedding.HostEmbeddingSequence;
import dev.workbench.cpu.norm.HostBatchNorm;
import dev.workbench.cpu.optim.CpuAdam;
import dev.workbench.cpu.optim.OnePassAdamDescent;
import dev.workbench.cpu.output.HostSequenceSoftmax;
import dev.workbench.cpu.output.HostSoftmaxOutput;
import dev.workbench.cpu.rnn.CachedLstm;
import dev.workbench.cpu.rnn.HostLstm;
import dev.workbench.cpu.transformer.HostSequenceLayerNorm;
import dev.workbench.cpu.transformer.HostTransformerEncoderBlock;
import dev.workbench.models.LayerSettings;
import dev.workbench.models.rnn.Lstm;
import dev.workbench.models.transformer.SequenceLayerNorm;
import dev.workbench.models.transformer.TransformerEncoderBlock;
import dev.workbench.train.Network;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The one substitution step between DL4J's layers and the workbench's fast CPU training layers. Factories build
 * networks from DL4J's own layers; {@link #forTraining} swaps in, on the CPU backend for float networks, each
 * layer's fast twin (same parameters, same function) and the Java Adam, and marks the layers that read the data as
 * needing no input gradient, and a sequential network takes its Adam steps in one pass over the parameters
 * ({@link OnePassAdamDescent}). {@link #plain} swaps back: what a model.zip holds, loadable by DL4J without the
 * workbench wherever DL4J has the layer. Both keep the parameters and the optimizer state, so training goes on
 * exactly where it was.
 */
public final class CpuTraining {
    private CpuTraining() {
    }

    /** {@code network} with the fast layers, or {@code network} itself where they do not apply (GPU, doubles). */
    public static Network forTraining(Network network) {
        Model model = network.model();
        if (!Nd4j.getEnvironment().isCPU() || model.params().dataType() != DataType.FLOAT) {
            return network;
        }
        return network.rebuiltEach((each, inputGradientRead) -> rebuild(each, true, inputGradientRead));
    }

    /**
     * {@code network} in DL4J's own classes wherever DL4J has the layer, DL4J's Adam for the Java one, and a
     * workbench learning-rate schedule fixed at the rate it gives now (DL4J cannot read the schedule's class).
     */
    public static Network plain(Network network) {
        return network.rebuiltEach((each, inputGradientRead) -> rebuild(each, false, inputGradientRead));
    }

    /** @param inputGradientRead whether something reads the model's input gradient, so its first layers keep it */
    private static Model rebuild(Model model, boolean fast, boolean inputGradientRead) {
        if (model instanceof MultiLayerNetwork net) {
            return rebuild(net, fast, inputGradientRead);
        }
        if (model instanceof ComputationGraph graph) {
            return rebuild(graph, fast, inputGradientRead);
        }
        throw new IllegalArgumentException("not a DL4J network: " + model.getClass().getName());
    }

    private static MultiLayerNetwork rebuild(MultiLayerNetwork net, boolean fast, boolean inputGradientRead) {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations().clone();
        int iteration = conf.getIterationCount();
        int epoch = conf.getEpochCount();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            NeuralNetConfiguration layerConf = conf.getConf(i);
            InputPreProcessor reshape = conf.getInputPreProcess(i);
            boolean firstLayer = i == 0 && passesMissingGradient(reshape);
            boolean readsData = !inputGradientRead && firstLayer;
            layerConf.setLayer(swapped(layerConf.getLayer(), fast, readsData, iteration, epoch));
            if (reshape != null) {
                // Passes a missing gradient on even where the input gradient is read: a caller reading it on some
                // passes only may have the layer skip it on the others (FirstLayerInputGradient).
                conf.getInputPreProcessors().put(i, swapped(reshape, fast, firstLayer));
            }
        }
        MultiLayerNetwork copy = new MultiLayerNetwork(conf);
        copy.init(net.params(), false);
        INDArray state = net.getUpdater(true).getStateViewArray();
        if (state != null && state.length() > 0) {
            copy.getUpdater(true).setStateViewArray(copy, state, false);
        }
        if (fast) {
            OnePassAdamDescent.install(copy);
        }
        return copy;
    }

    private static ComputationGraph rebuild(ComputationGraph graph, boolean fast, boolean inputGradientRead) {
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        int iteration = conf.getIterationCount();
        int epoch = conf.getEpochCount();
        List<String> inputs = conf.getNetworkInputs();
        for (Map.Entry<String, GraphVertex> vertex : conf.getVertices().entrySet()) {
            if (!(vertex.getValue() instanceof LayerVertex layerVertex)) {
                continue;
            }
            InputPreProcessor reshape = layerVertex.getPreProcessor();
            boolean readsData = !inputGradientRead && inputs.containsAll(conf.getVertexInputs().get(vertex.getKey()))
                    && passesMissingGradient(reshape);
            NeuralNetConfiguration layerConf = layerVertex.getLayerConf();
            layerConf.setLayer(swapped(layerConf.getLayer(), fast, readsData, iteration, epoch));
            if (reshape != null) {
                layerVertex.setPreProcessor(swapped(reshape, fast, readsData));
            }
        }
        ComputationGraph copy = new ComputationGraph(conf);
        copy.init(graph.params(), false);
        INDArray state = graph.getUpdater(true).getStateViewArray();
        if (state != null && state.length() > 0) {
            copy.getUpdater(true).setStateViewArray(state);
        }
        return copy;
    }

    /**
     * The layer's fast or plain twin, its updaters swapped too, and so the layers a wrapper holds (the two
     * directions of a {@code Bidirectional}); layers without a twin keep their class.
     */
    private static Layer swapped(Layer layer, boolean fast, boolean readsData, int iteration, int epoch) {
        Layer twin = fast ? fastTwin(layer, readsData) : plainTwin(layer);
        for (Class<?> c = twin.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                try {
                    Object value = field.get(twin);
                    if (value instanceof IUpdater updater) {
                        field.set(twin, fast ? fastUpdater(updater) : plainUpdater(updater, iteration, epoch));
                    } else if (value instanceof Layer wrapped && Layer.class.isAssignableFrom(field.getType())) {
                        field.set(twin, swapped(wrapped, fast, false, iteration, epoch));
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot swap " + c.getSimpleName() + "." + field.getName(), e);
                }
            }
        }
        return twin;
    }

    private static Layer fastTwin(Layer layer, boolean readsData) {
        Class<?> type = layer.getClass();
        if (type == DenseLayer.class) {
            CachedDense dense = CachedDense.of((DenseLayer) layer);
            return readsData ? dense.withoutInputGradient() : dense;
        }
        if (type == ConvolutionLayer.class) {
            CachedConvolution convolution = CachedConvolution.of((ConvolutionLayer) layer);
            return readsData ? convolution.withoutInputGradient() : convolution;
        }
        if (type == Deconvolution2D.class) {
            return CachedDeconvolution.of((Deconvolution2D) layer);
        }
        if (type == OutputLayer.class && HostSoftmaxOutput.fits((OutputLayer) layer)) {
            return HostSoftmaxOutput.of((OutputLayer) layer);
        }
        if (type == SubsamplingLayer.class) {
            return HostMaxPooling.of((SubsamplingLayer) layer);
        }
        if (type == ActivationLayer.class) {
            return HostActivation.of((ActivationLayer) layer);
        }
        if (type == BatchNormalization.class) {
            return HostBatchNorm.of((BatchNormalization) layer);
        }
        if (type == LSTM.class) {
            CachedLstm lstm = CachedLstm.of((LSTM) layer);
            return readsData ? lstm.withoutInputGradient() : lstm;
        }
        if (type == Lstm.class) {
            return HostLstm.of((Lstm) layer);
        }
        if (type == EmbeddingSequenceLayer.class) {
            return HostEmbeddingSequence.of((EmbeddingSequenceLayer) layer);
        }
        if (type == TransformerEncoderBlock.class && !((TransformerEncoderBlock) layer).dropsInTraining()) {
            // The fast pass has no dropout inside the block: such a block trains as its SameDiff definition.
            return HostTransformerEncoderBlock.of((TransformerEncoderBlock) layer);
        }
        if (type == SequenceLayerNorm.class) {
            return HostSequenceLayerNorm.of((SequenceLayerNorm) layer);
        }
        if (type == RnnOutputLayer.class) {
            return HostSequenceSoftmax.of((RnnOutputLayer) layer);
        }
        return layer.clone();
    }

    private static Layer plainTwin(Layer layer) {
        if (layer instanceof CachedDense) {
            return LayerSettings.plain(layer, DenseLayer.class);
        }
        if (layer instanceof CachedConvolution) {
            return LayerSettings.plain(layer, ConvolutionLayer.class);
        }
        if (layer instanceof CachedDeconvolution) {
            return LayerSettings.plain(layer, Deconvolution2D.class);
        }
        if (layer instanceof HostSoftmaxOutput) {
            return LayerSettings.plain(layer, OutputLayer.class);
        }
        if (layer instanceof HostMaxPooling) {
            return LayerSettings.plain(layer, SubsamplingLayer.class);
        }
        if (layer instanceof HostActivation) {
            return LayerSettings.plain(layer, ActivationLayer.class);
        }
        if (layer instanceof HostBatchNorm) {
            return LayerSettings.plain(layer, BatchNormalization.class);
        }
        if (layer instanceof CachedLstm) {
            return LayerSettings.plain(layer, LSTM.class);
        }
        if (layer instanceof HostLstm) {
            return LayerSettings.plain(layer, Lstm.class);
        }
        if (layer instanceof HostEmbeddingSequence) {
            return LayerSettings.plain(layer, EmbeddingSequenceLayer.class);
        }
        if (layer instanceof HostTransformerEncoderBlock) {
            return LayerSettings.plain(layer, TransformerEncoderBlock.class);
        }
        if (layer instanceof HostSequenceLayerNorm) {
            return LayerSettings.plain(layer, SequenceLayerNorm.class);
        }
        if (layer instanceof HostSequenceSoftmax) {
            return LayerSettings.plain(layer, RnnOutputLayer.class);
        }
        return layer.clone();
    }

    /**
     * Whether a layer behind {@code reshape} may skip its input gradient: nothing in between, or the flat-image
     * reshape, which {@link FlatImageInput} makes pass on a missing gradient.
     */
    private static boolean passesMissingGradient(InputPreProcessor reshape) {
        return reshape == null || reshape.getClass() == FeedForwardToCnnPreProcessor.class
                || reshape instanceof FlatImageInput;
    }

    /** The data reshape in front of a first layer: one that passes on a missing input gradient, or DL4J's. */
    private static InputPreProcessor swapped(InputPreProcessor reshape, boolean fast, boolean firstLayer) {
        if (fast && firstLayer && reshape.getClass() == FeedForwardToCnnPreProcessor.class) {
            return FlatImageInput.of((FeedForwardToCnnPreProcessor) reshape);
        }
        if (!fast && reshape instanceof FlatImageInput flat) {
            return new FeedForwardToCnnPreProcessor(flat.getInputHeight(), flat.getInputWidth(), flat.getNumChannels());
        }
        return reshape;
    }

    private static IUpdater fastUpdater(IUpdater updater) {
        if (updater.getClass() != Adam.class) {
            return updater;
        }
        Adam adam = (Adam) updater;
        return new CpuAdam(adam.getLearningRate(), adam.getLearningRateSchedule(), adam.getBeta1(), adam.getBeta2(),
                adam.getEpsilon());
    }

    private static IUpdater plainUpdater(IUpdater updater, int iteration, int epoch) {
        if (updater instanceof CpuAdam adam) {
            ISchedule schedule = portable(adam.learningRateSchedule());
            double lr = schedule == null && adam.learningRateSchedule() != null
                    ? adam.getLearningRate(iteration, epoch) : adam.learningRate();
            Adam plain = new Adam(lr, adam.beta1(), adam.beta2(), adam.epsilon());
            plain.setLearningRateSchedule(schedule);
            return plain;
        }
        if (updater.hasLearningRate()) {
            ISchedule schedule = scheduleOf(updater);
            if (schedule != null && portable(schedule) == null) {
                IUpdater copy = updater.clone();
                copy.setLrAndSchedule(updater.getLearningRate(iteration, epoch), null);
                return copy;
            }
        }
        return updater;
    }

    /** {@code schedule} when DL4J itself defines its class, else null. */
    private static ISchedule portable(ISchedule schedule) {
        return schedule != null && schedule.getClass().getName().startsWith("org.nd4j.") ? schedule : null;
    }

    private static ISchedule scheduleOf(IUpdater updater) {
        for (Class<?> c = updater.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (ISchedule.class.isAssignableFrom(field.getType()) && !Modifier.isStatic(field.getModifiers())) {
                    field.setAccessible(true);
                    try {
                        ISchedule schedule = (ISchedule) field.get(updater);
                        if (schedule != null) {
                            return schedule;
                        }
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return null;
    }
}
