package dev.workbench.cpu.conv;

import dev.workbench.cpu.kernels.BlockGemm;
import dev.workbench.cpu.kernels.HostArrays;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The transposed convolution of C-channel maps down to one channel: a transposed convolution with one output channel
 * (a DCGAN generator's image), or the input gradient of a convolution with one input channel (its discriminator's
 * first layer). oneDNN computes both as a backward-data convolution, which with one channel takes about ten times
 * longer than this: the maps rearranged to {@code [C, batch * h * w]}, one OpenBLAS gemm against the weights to
 * {@code [kh * kw, batch * h * w]} columns, and the columns added into the image in Java. Buffers live outside
 * workspaces and grow to the largest batch seen; one instance per layer.
 */
final class OneChannelTransposedConvolution {
    private float[] mapValues = new float[0];
    private float[] columnValues = new float[0];
    private float[] image = new float[0];
    private INDArray mapsArray;
    private INDArray columnsArray;

    /**
     * Writes into {@code out} ({@code [batch, 1, outH, outW]}, row-major, overwritten) the sum over channels c and
     * kernel taps of {@code maps[n, c, i, j] * weights[c, kh, kw]} at {@code (i * stride - pad + kh * dilation,
     * j * stride - pad + kw * dilation)}; taps that fall outside are dropped.
     *
     * @param weights C x kh x kw values in that order: a transposed convolution's {@code [C, 1, kh, kw]}, or a
     *                convolution's {@code [C, 1, kh, kw]} (its output channels being the maps' channels)
     */
    void compute(INDArray maps, INDArray weights, int[] kernel, int[] stride, int[] topLeftPad, int[] dilation, INDArray out) {
        int batch = (int) maps.size(0), channels = (int) maps.size(1), height = (int) maps.size(2), width = (int) maps.size(3);
        int outHeight = (int) out.size(2), outWidth = (int) out.size(3);
        int taps = kernel[0] * kernel[1];
        int plane = height * width;
        int cols = batch * plane;
        ensureCapacity((long) channels * cols, (long) taps * cols, (long) batch * outHeight * outWidth);

        INDArray columns2d = view(columnsArray, taps, cols);
        BlockGemm.Block weightBlock = new BlockGemm.Block(weights.reshape('c', channels, taps), 0, channels, taps, taps);
        BlockGemm.Block columnsBlock = new BlockGemm.Block(columns2d, 0, taps, cols, cols);
        INDArray mapRows = HostArrays.channelsLast(maps);
        if (mapRows != null) {
            // Channels-last maps already are the [batch * h * w, C] matrix, the transpose of what the product needs.
            BlockGemm.multiply(weightBlock, true, new BlockGemm.Block(mapRows.reshape('c', cols, channels), 0, cols,
                    channels, channels), true, 0f, columnsBlock);
        } else {
            // maps as [C, batch * h * w]: each (example, channel) plane read straight to its place.
            INDArray rowMajorMaps = HostArrays.rowMajor(maps);
            for (int n = 0; n < batch; n++) {
                for (int c = 0; c < channels; c++) {
                    HostArrays.readRange(rowMajorMaps, (long) (n * channels + c) * plane, mapValues, (c * batch + n) * plane, plane);
                }
            }
            INDArray maps2d = view(mapsArray, channels, cols);
            HostArrays.write(mapValues, maps2d);
            BlockGemm.multiply(weightBlock, true, new BlockGemm.Block(maps2d, 0, channels, cols, cols), false, 0f,
                    columnsBlock);
        }
        HostArrays.read(columns2d, columnValues);

        int pixels = outHeight * outWidth;
        Arrays.fill(image, 0, batch * pixels, 0f);
        for (int kh = 0, tap = 0; kh < kernel[0]; kh++) {
            for (int kw = 0; kw < kernel[1]; kw++, tap++) {
                int dy = kh * dilation[0] - topLeftPad[0];
                int dx = kw * dilation[1] - topLeftPad[1];
                for (int n = 0; n < batch; n++) {
                    for (int i = 0; i < height; i++) {
                        int y = i * stride[0] + dy;
                        if (y < 0 || y >= outHeight) {
                            continue;
                        }
                        int from = tap * cols + (n * height + i) * width;
                        int to = n * pixels + y * outWidth;
                        for (int j = 0; j < width; j++) {
                            int x = j * stride[1] + dx;
                            if (x >= 0 && x < outWidth) {
                                image[to + x] += columnValues[from + j];
                            }
                        }
                    }
                }
            }
        }
        HostArrays.write(image, out);
    }

    private void ensureCapacity(long mapsLength, long columnsLength, long imageLength) {
        if (mapValues.length < mapsLength) {
            mapValues = new float[Math.toIntExact(mapsLength)];
            mapsArray = HostArrays.detached(mapsLength);
        }
        if (columnValues.length < columnsLength) {
            columnValues = new float[Math.toIntExact(columnsLength)];
            columnsArray = HostArrays.detached(columnsLength);
        }
        if (image.length < imageLength) {
            image = new float[Math.toIntExact(imageLength)];
        }
    }

    /** The first {@code rows * cols} elements of a flat buffer as a row-major matrix. */
    private static INDArray view(INDArray flat, int rows, int cols) {
        return flat.get(NDArrayIndex.interval(0, (long) rows * cols)).reshape('c', rows, cols);
    }
}
