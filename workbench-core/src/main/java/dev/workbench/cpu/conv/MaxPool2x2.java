package dev.workbench.cpu.conv;

import dev.workbench.cpu.kernels.FloatLanes;
import dev.workbench.cpu.kernels.HostArrays;
import dev.workbench.cpu.kernels.VectorModule;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Max pooling over 2x2 windows with stride 2 (no padding) of NCHW planes, stored row-major or channels-last,
 * keeping which element of each window won for the backward pass. The forward pass compares gathered vector lanes
 * without branches (the winner depends on the data, so a per-window branch mispredicts); ties go to the first
 * element in row-major order, as libnd4j and oneDNN break them. The backward pass sends each output's gradient to
 * its window's winner, where libnd4j's oneDNN path runs the pooling forward again first.
 */
final class MaxPool2x2 {
    private static final VectorSpecies<Float> SPECIES = FloatLanes.SPECIES;

    private int height = -1;
    private int width = -1;
    private int channels = -1;
    private boolean channelsLast;
    private int outHeight;
    private int outWidth;
    private int pixelStep; // input elements between horizontally adjacent pixels: 1 in NCHW, channels channels-last
    private int rowStep; // input elements between vertically adjacent pixels
    private int[] windowStarts = new int[0]; // per output of a plane: its window's top-left, from the plane's start
    private float[] in = new float[0];
    private float[] out = new float[0];
    private float[] winners = new float[0]; // per output: 0..3 for top-left, top-right, bottom-left, bottom-right
    private int planes;

    MaxPool2x2() {
        VectorModule.require();
    }

    /** Output height (or width) for an input side: windows that fit whole, as DL4J's truncate mode counts them. */
    static int outputSide(long side) {
        return (int) (side / 2);
    }

    /**
     * Pools {@code input} ({@code [n, c, h, w]}, row-major or laid out channels-last, see
     * {@link HostArrays#channelsLast}) into {@code output} ({@code [n, c, h/2, w/2]}, row-major).
     */
    void forward(INDArray input, INDArray output) {
        INDArray rows = HostArrays.channelsLast(input);
        shape((int) input.size(0), (int) input.size(1), (int) input.size(2), (int) input.size(3), rows != null);
        float[] x = HostArrays.read(rows != null ? rows : input, in);
        int perPlane = outHeight * outWidth;
        int bound = SPECIES.loopBound(perPlane);
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int p = 0; p < planes; p++) {
            int plane = planeStart(p);
            int o = p * perPlane;
            int j = 0;
            for (; j < bound; j += SPECIES.length()) {
                FloatVector a = FloatVector.fromArray(SPECIES, x, plane, windowStarts, j);
                FloatVector b = FloatVector.fromArray(SPECIES, x, plane + pixelStep, windowStarts, j);
                FloatVector c = FloatVector.fromArray(SPECIES, x, plane + rowStep, windowStarts, j);
                FloatVector d = FloatVector.fromArray(SPECIES, x, plane + rowStep + pixelStep, windowStarts, j);
                VectorMask<Float> right = b.compare(VectorOperators.GT, a);
                VectorMask<Float> bottomRight = d.compare(VectorOperators.GT, c);
                FloatVector top = a.blend(b, right);
                FloatVector bottom = c.blend(d, bottomRight);
                VectorMask<Float> down = bottom.compare(VectorOperators.GT, top);
                top.blend(bottom, down).intoArray(out, o + j);
                VectorMask<Float> rightColumn = bottomRight.and(down).or(right.andNot(down));
                zero.blend(2f, down).add(zero.blend(1f, rightColumn)).intoArray(winners, o + j);
            }
            for (; j < perPlane; j++) {
                int at = plane + windowStarts[j];
                float a = x[at];
                float b = x[at + pixelStep];
                float c = x[at + rowStep];
                float d = x[at + rowStep + pixelStep];
                boolean right = b > a;
                boolean bottomRight = d > c;
                float top = right ? b : a;
                float bottom = bottomRight ? d : c;
                boolean down = bottom > top;
                out[o + j] = down ? bottom : top;
                winners[o + j] = down ? (bottomRight ? 3 : 2) : (right ? 1 : 0);
            }
        }
        HostArrays.write(out, output);
    }

    /** Whether the last forward pass read its input laid out channels-last; its input gradient is laid out alike. */
    boolean channelsLast() {
        return channelsLast;
    }

    /**
     * dLoss/dInput ({@code inputGradient}, {@code [n, c, h, w]}) of the last forward pass, into an array laid out as
     * that pass's input was (row-major, or channels-last when {@link #channelsLast()}).
     */
    void backward(INDArray epsilon, INDArray inputGradient) {
        float[] dOut = HostArrays.read(epsilon, out);
        float[] dx = in;
        Arrays.fill(dx, 0, planes * height * width, 0f);
        int perPlane = outHeight * outWidth;
        for (int p = 0; p < planes; p++) {
            int plane = planeStart(p);
            int o = p * perPlane;
            for (int j = 0; j < perPlane; j++) {
                int winner = (int) winners[o + j];
                dx[plane + windowStarts[j] + (winner & 1) * pixelStep + (winner >> 1) * rowStep] = dOut[o + j];
            }
        }
        HostArrays.write(dx, channelsLast ? inputGradient.permute(0, 2, 3, 1) : inputGradient);
    }

    /** Where plane {@code p} (example {@code p / channels}, channel {@code p % channels}) starts in the input. */
    private int planeStart(int p) {
        return channelsLast ? (p / channels) * height * width * channels + p % channels : p * height * width;
    }

    private void shape(int batch, int channels, int height, int width, boolean channelsLast) {
        this.planes = batch * channels;
        if (height != this.height || width != this.width || channels != this.channels || channelsLast != this.channelsLast) {
            this.height = height;
            this.width = width;
            this.channels = channels;
            this.channelsLast = channelsLast;
            pixelStep = channelsLast ? channels : 1;
            rowStep = width * pixelStep;
            outHeight = outputSide(height);
            outWidth = outputSide(width);
            windowStarts = new int[outHeight * outWidth];
            for (int oh = 0; oh < outHeight; oh++) {
                for (int ow = 0; ow < outWidth; ow++) {
                    windowStarts[oh * outWidth + ow] = 2 * oh * rowStep + 2 * ow * pixelStep;
                }
            }
        }
        if (in.length < planes * height * width) {
            in = new float[planes * height * width];
            out = new float[planes * outHeight * outWidth];
            winners = new float[planes * outHeight * outWidth];
        }
    }
}
