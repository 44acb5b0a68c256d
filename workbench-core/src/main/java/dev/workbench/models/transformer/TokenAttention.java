package dev.workbench.models.transformer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.data.sequence.SequenceArrays;
import dev.workbench.data.sequence.Vocabulary;
import dev.workbench.report.AttentionHeatmaps;
import dev.workbench.train.Network;
import dev.workbench.train.PaddingMaskedNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What every attention head of a trained transformer reads for one input: the probabilities each block's SameDiff
 * definition computes ({@link TransformerEncoderBlock#defineAttention}) from its trained parameters, the input the
 * network gives that block and the mask the network gives it (padding of a padding-masked encoder; the causal order
 * of a decoder).
 *
 * @param tokens  the steps shown, in order (the axes of a heatmap)
 * @param weights {@code weights[layer][head][query][key]}: how much step {@code query} reads step {@code key}; each
 *                row sums to 1 over the steps it reads
 */
public record TokenAttention(List<String> tokens, double[][][][] weights) {

    /**
     * The attention of {@code network} over {@code text}, made into one window as its data is: a decoder reads the
     * text's last {@code window} tokens from the start of a window (the steps after them, padding, cannot change what
     * a causal block computes for earlier steps, and are not shown); an encoder reads the text's last {@code window}
     * tokens padded in front, as its sentences are, and every step of the window is shown.
     *
     * @throws IllegalArgumentException when the text holds no token of the vocabulary's kind, or the network has no
     *                                  transformer block
     */
    public static TokenAttention of(Network network, Vocabulary vocabulary, String text, int window) {
        int[] ids = vocabulary.ids(text);
        if (ids.length == 0) {
            throw new IllegalArgumentException("--text: no " + vocabulary.tokenKind() + " in \"" + text + "\"");
        }
        int[] last = java.util.Arrays.copyOfRange(ids, Math.max(0, ids.length - window), ids.length);
        if (causal(network)) {
            int[] padded = java.util.Arrays.copyOf(last, window);
            return of(network, SequenceArrays.ids(List.of(padded), window), names(vocabulary, padded), last.length);
        }
        int[] padded = SequenceArrays.prePadded(last, window);
        return of(network, SequenceArrays.ids(List.of(padded), window), names(vocabulary, padded), window);
    }

    /**
     * The attention of {@code network} over one window of ids {@code [1, 1, time]} (a row of its data), the first
     * {@code shown} steps kept: of a decoder, what those steps read does not depend on the steps after them.
     */
    public static TokenAttention of(Network network, INDArray window, List<String> tokens, int shown) {
        MultiLayerNetwork net = transformer(network);
        // The mask the network gives its layers: a padding-masked encoder's from the ids, otherwise none.
        INDArray mask = network instanceof PaddingMaskedNetwork ? PaddingMaskedNetwork.mask(window) : null;
        List<INDArray> activations;
        try {
            net.setLayerMaskArrays(mask, null);
            activations = net.feedForward(window, false);
        } finally {
            net.clearLayerMaskArrays();
        }
        List<double[][][]> layers = new ArrayList<>();
        for (Layer layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof TransformerEncoderBlock block) {
                // activations.get(i) is layer i's input.
                layers.add(cropped(probabilities(block, layer.paramTable(), activations.get(layer.getIndex()), mask), shown));
            }
        }
        return new TokenAttention(List.copyOf(tokens.subList(0, shown)), layers.toArray(new double[0][][][]));
    }

    /** Writes these maps as a grid of heatmaps to {@code png} and their numbers beside it as JSON (same name, .json). */
    public Path write(Path png, String title) throws IOException {
        AttentionHeatmaps.write(png, title, tokens, weights);
        String name = png.getFileName().toString();
        Path json = png.resolveSibling((name.endsWith(".png") ? name.substring(0, name.length() - 4) : name) + ".json");
        Files.writeString(json, new ObjectMapper().writeValueAsString(this));
        return png;
    }

    /** Whether the network's blocks are causal (a decoder). */
    private static boolean causal(Network network) {
        for (Layer layer : transformer(network).getLayers()) {
            if (layer.conf().getLayer() instanceof TransformerEncoderBlock block) {
                return block.isCausal();
            }
        }
        throw new IllegalStateException("unreachable: transformer() checked for a block");
    }

    private static MultiLayerNetwork transformer(Network network) {
        if (network.model() instanceof MultiLayerNetwork net && java.util.Arrays.stream(net.getLayers())
                .anyMatch(l -> l.conf().getLayer() instanceof TransformerEncoderBlock)) {
            return net;
        }
        throw new IllegalArgumentException("attention over text needs a transformer (family transformer); this model has "
                + "no transformer block");
    }

    /** {@code [heads][query][key]} for one example's block input {@code [1, dModel, time]}. */
    static double[][][] probabilities(TransformerEncoderBlock block, Map<String, INDArray> params, INDArray input,
                                              INDArray mask) {
        // The block's input as the rows its graph reads, made here and fed contiguous: SameDiff M2.1's layer norm,
        // given the graph's own reshape of one permuted example, gave a pre-LN block's probabilities that changed
        // with later steps.
        long window = input.size(2);
        INDArray rows = input.permute(0, 2, 1).dup('c').reshape(-1, input.size(1));
        SameDiff sd = SameDiff.create();
        Map<String, SDVariable> variables = new HashMap<>();
        params.forEach((name, value) -> variables.put(name, sd.var(name, value.dup())));
        Map<String, INDArray> feed = new HashMap<>(Map.of("rows", rows));
        SDVariable maskVariable = null;
        if (mask != null) {
            maskVariable = sd.placeHolder("mask", mask.dataType(), -1, mask.size(1));
            feed.put("mask", mask);
        }
        SDVariable weights = block.defineAttention(sd, sd.placeHolder("rows", rows.dataType(), -1, input.size(1)), window,
                variables, maskVariable);
        INDArray result = sd.outputSingle(feed, weights.name());          // [batch, heads, time, time]; example 0 shown
        int heads = (int) result.size(1);
        int steps = (int) result.size(2);
        double[][][] out = new double[heads][steps][];
        for (int h = 0; h < heads; h++) {
            for (int q = 0; q < steps; q++) {
                out[h][q] = result.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(h), org.nd4j.linalg.indexing.NDArrayIndex.point(q),
                        org.nd4j.linalg.indexing.NDArrayIndex.all()).toDoubleVector();
            }
        }
        return out;
    }

    private static double[][][] cropped(double[][][] heads, int shown) {
        double[][][] out = new double[heads.length][shown][];
        for (int h = 0; h < heads.length; h++) {
            for (int q = 0; q < shown; q++) {
                out[h][q] = java.util.Arrays.copyOf(heads[h][q], shown);
            }
        }
        return out;
    }

    /** The vocabulary's names of {@code ids}, pads as {@link Vocabulary#PAD}. */
    private static List<String> names(Vocabulary vocabulary, int[] ids) {
        return java.util.Arrays.stream(ids).mapToObj(vocabulary::token).toList();
    }

    /** The names of a data row's ids: the vocabulary's tokens, or the ids themselves when there is none. */
    public static List<String> names(Vocabulary vocabulary, INDArray window) {
        int[] ids = window.reshape(-1).toIntVector();
        return vocabulary == null ? java.util.Arrays.stream(ids).mapToObj(Integer::toString).toList() : names(vocabulary, ids);
    }
}
