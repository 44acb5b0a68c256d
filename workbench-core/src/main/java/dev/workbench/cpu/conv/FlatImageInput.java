package dev.workbench.cpu.conv;

import dev.workbench.train.InputGradientOption;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * DL4J's reshape of flat image rows to {@code [batch, channels, height, width]} in front of a first convolution that
 * skips its input gradient ({@link CachedConvolution#withoutInputGradient()}): DL4J's reshape fails on the missing
 * gradient, this one passes it on as missing. Everything else, the saved fields and the ONNX export included, is
 * DL4J's.
 */
public class FlatImageInput extends FeedForwardToCnnPreProcessor implements InputGradientOption.Passing {
    @JsonCreator
    public FlatImageInput(@JsonProperty("inputHeight") long inputHeight, @JsonProperty("inputWidth") long inputWidth,
                          @JsonProperty("numChannels") long numChannels) {
        super(inputHeight, inputWidth, numChannels);
    }

    public static FlatImageInput of(FeedForwardToCnnPreProcessor reshape) {
        return new FlatImageInput(reshape.getInputHeight(), reshape.getInputWidth(), reshape.getNumChannels());
    }

    @Override
    public INDArray backprop(INDArray epsilons, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        return epsilons == null ? null : super.backprop(epsilons, miniBatchSize, workspaceMgr);
    }

    @Override
    public FlatImageInput clone() {
        return (FlatImageInput) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }
}
