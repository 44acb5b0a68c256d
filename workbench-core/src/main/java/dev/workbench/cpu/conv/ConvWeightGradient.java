package dev.workbench.cpu.conv;

import dev.workbench.cpu.kernels.BlockGemm;
import dev.workbench.cpu.kernels.ColumnSums;
import dev.workbench.cpu.kernels.HostArrays;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The weight and bias gradients of an NCHW 2-D convolution without its input gradient, for a network's first layer:
 * the input unrolled into columns ({@code [channels * kh * kw, batch * outH * outW]}) by row copies in Java, then
 * one OpenBLAS gemm against the output gradient: in all cheaper than libnd4j's im2col alone, and far cheaper than
 * oneDNN's full backprop. Buffers live outside workspaces and grow to the largest batch seen; one instance per layer.
 */
final class ConvWeightGradient {
    private final ColumnSums biasSums = new ColumnSums();
    private float[] image = new float[0];
    private float[] columns = new float[0];
    private float[] deltaValues = new float[0];
    private INDArray columnsArray;
    private INDArray deltaArray;

    /**
     * Writes dLoss/dW ({@code [out, in, kh, kw]}) and, unless null, dLoss/db for {@code delta} (dLoss/dz,
     * {@code [batch, out, outH, outW]}) of the convolution of {@code input} ({@code [batch, in, h, w]}).
     */
    void compute(INDArray input, INDArray delta, int[] kernel, int[] stride, int[] topLeftPad, int[] dilation,
                 INDArray weightGrad, INDArray biasGrad) {
        int batch = (int) input.size(0), channels = (int) input.size(1), height = (int) input.size(2), width = (int) input.size(3);
        int outChannels = (int) delta.size(1), outHeight = (int) delta.size(2), outWidth = (int) delta.size(3);
        int rows = channels * kernel[0] * kernel[1];
        int cols = batch * outHeight * outWidth;
        ensureCapacity(input.length(), (long) rows * cols, (long) outChannels * cols);

        HostArrays.read(input, image);
        for (int c = 0, row = 0; c < channels; c++) {
            for (int kh = 0; kh < kernel[0]; kh++) {
                for (int kw = 0; kw < kernel[1]; kw++, row++) {
                    int rowStart = row * cols;
                    for (int n = 0; n < batch; n++) {
                        for (int oy = 0; oy < outHeight; oy++) {
                            int iy = oy * stride[0] - topLeftPad[0] + kh * dilation[0];
                            int to = rowStart + (n * outHeight + oy) * outWidth;
                            if (iy < 0 || iy >= height) {
                                Arrays.fill(columns, to, to + outWidth, 0f);
                            } else {
                                copyRow(((n * channels + c) * height + iy) * width, width,
                                        kw * dilation[1] - topLeftPad[1], stride[1], to, outWidth);
                            }
                        }
                    }
                }
            }
        }
        INDArray columns2d = view(columnsArray, rows, cols);
        HostArrays.write(columns, columns2d);

        BlockGemm.Block columnsBlock = new BlockGemm.Block(columns2d, 0, rows, cols, cols);
        BlockGemm.Block weightBlock = new BlockGemm.Block(weightGrad.reshape('c', outChannels, rows), 0, outChannels, rows, rows);
        // A long, thin product (LeNet's first layer: 20x36864 by 36864x25), which OpenBLAS runs faster than ND4J's
        // gemm does through oneDNN's matmul.
        INDArray deltaRows = HostArrays.channelsLast(delta);
        if (deltaRows != null) {
            // Channels-last, delta already is the [batch * outH * outW, out] matrix the product needs, transposed.
            INDArray delta2d = deltaRows.reshape('c', cols, outChannels);
            BlockGemm.multiply(new BlockGemm.Block(delta2d, 0, cols, outChannels, outChannels), true, columnsBlock, true, 0f, weightBlock);
            if (biasGrad != null) {
                biasSums.into(delta2d, biasGrad);
            }
            return;
        }
        // delta as [out, batch * outH * outW]: each (example, channel) plane read straight to its place, cheaper
        // than ND4J's permuted assign.
        INDArray rowMajorDelta = HostArrays.rowMajor(delta);
        int plane = outHeight * outWidth;
        for (int n = 0; n < batch; n++) {
            for (int f = 0; f < outChannels; f++) {
                HostArrays.readRange(rowMajorDelta, (long) (n * outChannels + f) * plane, deltaValues, (f * batch + n) * plane, plane);
            }
        }
        INDArray delta2d = view(deltaArray, outChannels, cols);
        HostArrays.write(deltaValues, delta2d);
        BlockGemm.multiply(new BlockGemm.Block(delta2d, 0, outChannels, cols, cols), false, columnsBlock, true, 0f, weightBlock);
        if (biasGrad != null) {
            biasSums.into(delta2d.transpose(), biasGrad);
        }
    }

    /** One output row of one column row: input row elements {@code start + ox * step}, zero outside the image. */
    private void copyRow(int rowOffset, int width, int start, int step, int to, int outWidth) {
        if (step == 1 && start >= 0 && start + outWidth <= width) { // inside the image: one copy
            System.arraycopy(image, rowOffset + start, columns, to, outWidth);
            return;
        }
        if (step == 1) {
            int first = Math.max(0, -start);
            int end = Math.min(outWidth, width - start);
            if (end <= first) {
                Arrays.fill(columns, to, to + outWidth, 0f);
                return;
            }
            Arrays.fill(columns, to, to + first, 0f);
            System.arraycopy(image, rowOffset + start + first, columns, to + first, end - first);
            Arrays.fill(columns, to + end, to + outWidth, 0f);
            return;
        }
        for (int ox = 0; ox < outWidth; ox++) {
            int ix = start + ox * step;
            columns[to + ox] = ix >= 0 && ix < width ? image[rowOffset + ix] : 0f;
        }
    }

    private void ensureCapacity(long imageLength, long columnsLength, long deltaLength) {
        if (image.length < imageLength) {
            image = new float[Math.toIntExact(imageLength)];
        }
        if (columns.length < columnsLength) {
            columns = new float[Math.toIntExact(columnsLength)];
            columnsArray = HostArrays.detached(columnsLength);
        }
        if (deltaArray == null || deltaArray.length() < deltaLength) {
            deltaArray = HostArrays.detached(deltaLength);
            deltaValues = new float[Math.toIntExact(deltaLength)];
        }
    }

    /** The first {@code rows * cols} elements of a flat buffer as a row-major matrix. */
    private static INDArray view(INDArray flat, int rows, int cols) {
        return flat.get(NDArrayIndex.interval(0, (long) rows * cols)).reshape('c', rows, cols);
    }
}
