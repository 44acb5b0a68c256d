package dev.workbench.onnx;

import dev.workbench.models.gnn.GraphAttention;
import dev.workbench.models.gnn.GraphConvolution;
import dev.workbench.models.gnn.GraphSage;
import dev.workbench.models.rnn.Gru;
import dev.workbench.models.rnn.Lstm;
import dev.workbench.models.transformer.TiedTokenEmbedding;
import dev.workbench.models.rnn.LastStep;
import dev.workbench.models.transformer.LearnedPositionalEmbedding;
import dev.workbench.models.transformer.SequenceDropout;
import dev.workbench.models.transformer.SequenceLayerNorm;
import dev.workbench.models.transformer.SinusoidalPositionalEncoding;
import dev.workbench.models.transformer.TransformerEncoderBlock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;

/**
 * The registry of export rules, by exact DL4J class: a subclass (say, a deconvolution) never silently
 * inherits its parent's rule. Adding a layer type means writing one {@link LayerRule} and one
 * {@link #layer} line in {@link #standard()}.
 */
public final class ExportRules {
    /** Writes one DL4J input pre-processor (a reshape between layer kinds) as ONNX nodes. */
    @FunctionalInterface
    public interface PreprocessorRule {
        String emit(OnnxGraph graph, int index, InputPreProcessor preprocessor, String input);
    }

    /** Writes one ComputationGraph vertex that is not a layer (a merge, an element-wise op) as ONNX nodes. */
    @FunctionalInterface
    public interface VertexRule {
        String emit(OnnxGraph graph, int index, GraphVertex vertex, String[] inputs);
    }

    private final Map<Class<? extends Layer>, LayerRule> layers = new LinkedHashMap<>();
    private final Map<Class<? extends GraphVertex>, VertexRule> vertices = new LinkedHashMap<>();
    private final Map<Class<? extends InputPreProcessor>, PreprocessorRule> preprocessors = new LinkedHashMap<>();

    public static ExportRules standard() {
        ExportRules rules = new ExportRules();
        DenseRule dense = new DenseRule();
        rules.layer(DenseLayer.class, dense);
        rules.layer(OutputLayer.class, dense);
        ConvolutionRule convolution = new ConvolutionRule();
        rules.layer(ConvolutionLayer.class, convolution);
        rules.layer(Deconvolution2D.class, new DeconvolutionRule());
        PoolingRule pooling = new PoolingRule();
        rules.layer(SubsamplingLayer.class, pooling);
        rules.layer(BatchNormalization.class, new BatchNormRule());
        rules.layer(GlobalPoolingLayer.class, new GlobalPoolingRule());
        rules.layer(org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder.class, new VariationalAutoencoderRule());
        rules.layer(DropoutLayer.class, LayerExport::input);  // inference: identity
        rules.layer(SequenceDropout.class, LayerExport::input);
        EmbeddingSequenceRule embedding = new EmbeddingSequenceRule();
        rules.layer(EmbeddingSequenceLayer.class, embedding);
        LstmRule lstm = new LstmRule();
        LstmRule.LAYERS.forEach(type -> rules.layer(type, lstm));
        rules.layer(Gru.class, new GruRule());
        rules.layer(Lstm.class, LstmRule::emitWorkbenchLstm);
        rules.layer(TiedTokenEmbedding.class, new TiedEmbeddingRule());
        rules.layer(Bidirectional.class, new BidirectionalRule());
        LastStepRule lastStep = new LastStepRule(rules);
        rules.layer(LastTimeStep.class, lastStep);
        rules.layer(LastStep.class, lastStep);
        rules.layer(RnnOutputLayer.class, new RnnOutputRule());
        PositionalEmbeddingRule positions = new PositionalEmbeddingRule();
        rules.layer(LearnedPositionalEmbedding.class, positions);
        rules.layer(SinusoidalPositionalEncoding.class, positions);
        rules.layer(SequenceLayerNorm.class, l -> {
            String rows = l.graph().node("Transpose", "layer" + l.index() + "_steps", new String[]{l.input()},
                    OnnxGraph.Attribute.ints("perm", 0, 2, 1));
            String normed = LayerNormOnnx.emit(l.graph(), "layer" + l.index() + "_norm", rows, l.param(SequenceLayerNorm.GAIN),
                    l.param(SequenceLayerNorm.BIAS));
            return l.graph().node("Transpose", "layer" + l.index() + "_ncw", new String[]{normed},
                    OnnxGraph.Attribute.ints("perm", 0, 2, 1));
        });
        rules.layer(TransformerEncoderBlock.class, new TransformerBlockRule());
        rules.layer(ActivationLayer.class, l -> ActivationOps.emit(l, ((ActivationLayer) l.layer()).getActivationFn(), l.input()));
        // A loss layer has no parameters: at inference it is its activation (a node classifier's softmax).
        rules.layer(LossLayer.class, l -> ActivationOps.emit(l, ((LossLayer) l.layer()).getActivationFn(), l.input()));
        rules.layer(GraphConvolution.class, new GraphConvolutionRule());
        rules.layer(GraphAttention.class, new GraphAttentionRule());
        rules.layer(GraphSage.class, new GraphSageRule());
        PreprocessorRule toNchw = (g, i, p, in) -> {
            FeedForwardToCnnPreProcessor reshape = (FeedForwardToCnnPreProcessor) p;
            return g.node("Reshape", "layer" + i + "_to_nchw", new String[]{in, g.int64Constant("layer" + i + "_shape",
                    -1, reshape.getNumChannels(), reshape.getInputHeight(), reshape.getInputWidth())});
        };
        rules.preprocessor(FeedForwardToCnnPreProcessor.class, toNchw);
        rules.preprocessor(CnnToFeedForwardPreProcessor.class, (g, i, p, in) -> {
            if (((CnnToFeedForwardPreProcessor) p).getFormat() != CNN2DFormat.NCHW) {
                throw new UnsupportedLayerException(i, p.getClass().getSimpleName(), "no ONNX rule for NHWC flattening");
            }
            // DL4J flattens NCHW activations in C order, as ONNX Flatten does.
            return g.node("Flatten", "layer" + i + "_flatten", new String[]{in}, OnnxGraph.Attribute.integer("axis", 1));
        });
        rules.vertex(MergeVertex.class, (g, i, v, in) -> {
            if (((MergeVertex) v).getMergeAxis() != 1) {
                throw new UnsupportedLayerException(i, "MergeVertex", "no ONNX rule for merging along axis " + ((MergeVertex) v).getMergeAxis());
            }
            return g.node("Concat", "vertex" + i + "_concat", in, OnnxGraph.Attribute.integer("axis", 1));
        });
        rules.vertex(ElementWiseVertex.class, (g, i, v, in) -> elementWise(g, i, ((ElementWiseVertex) v).getOp(), in));
        return rules;
    }

    /** Residual merges and friends: DL4J's element-wise vertex ops as ONNX's variadic or binary ops. */
    private static String elementWise(OnnxGraph g, int index, ElementWiseVertex.Op op, String[] in) {
        String hint = "vertex" + index;
        return switch (op) {
            case Add -> g.node("Sum", hint + "_add", in);
            case Average -> g.node("Mean", hint + "_average", in);
            case Max -> g.node("Max", hint + "_max", in);
            case Product -> {
                String product = in[0];
                for (int k = 1; k < in.length; k++) {
                    product = g.node("Mul", hint + "_product", new String[]{product, in[k]});
                }
                yield product;
            }
            case Subtract -> g.node("Sub", hint + "_subtract", in);
            default -> throw new UnsupportedLayerException(index, "ElementWiseVertex", "no ONNX rule for op " + op);
        };
    }

    public ExportRules vertex(Class<? extends GraphVertex> type, VertexRule rule) {
        vertices.put(type, rule);
        return this;
    }

    VertexRule forVertex(int index, GraphVertex vertex) {
        VertexRule rule = vertices.get(vertex.getClass());
        if (rule == null) {
            throw new UnsupportedLayerException(index, vertex.getClass().getSimpleName(), "no ONNX export rule for this graph vertex");
        }
        return rule;
    }

    public ExportRules layer(Class<? extends Layer> type, LayerRule rule) {
        layers.put(type, rule);
        return this;
    }

    public ExportRules preprocessor(Class<? extends InputPreProcessor> type, PreprocessorRule rule) {
        preprocessors.put(type, rule);
        return this;
    }

    LayerRule forLayer(int index, Layer layer) {
        LayerRule rule = layers.get(layer.getClass());
        if (rule == null) {
            throw new UnsupportedLayerException(index, layer.getClass().getSimpleName(), "no ONNX export rule for this layer type");
        }
        return rule;
    }

    PreprocessorRule forPreprocessor(int index, InputPreProcessor preprocessor) {
        PreprocessorRule rule = preprocessors.get(preprocessor.getClass());
        if (rule == null) {
            throw new UnsupportedLayerException(index, preprocessor.getClass().getSimpleName(), "no ONNX export rule for this input pre-processor");
        }
        return rule;
    }
}
