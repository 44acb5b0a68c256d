package dev.workbench.cpu.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A bias added per channel to a contiguous row-major {@code [batch, channels, ...]} float array (NCHW), in place in
 * its native buffer, in vector lanes: the same float additions as ND4J's broadcast add, as
 * {@code CachedDeconvolutionLayer} adds its bias after libnd4j's deconv2d without one.
 */
public final class ChannelBias {
    private static final VectorSpecies<Float> SPECIES = FloatLanes.SPECIES;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private ChannelBias() {
    }

    /** x[n, c, ...] += bias[c]; {@code bias} holds one value per channel (dimension 1 of x). */
    public static void addInPlace(INDArray x, INDArray bias) {
        if (x.rank() < 2 || bias.length() != x.size(1)) {
            throw new IllegalArgumentException("per-channel bias " + bias.shapeInfoToString() + " for "
                    + x.shapeInfoToString());
        }
        float[] perChannel = bias.toFloatVector();
        int batch = Math.toIntExact(x.size(0));
        int channels = perChannel.length;
        int plane = Math.toIntExact(x.length() / ((long) batch * channels));
        ByteBuffer bytes = HostArrays.bytes(x);
        int at = HostArrays.byteOffset(x);
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                add(bytes, at + (n * channels + c) * plane * Float.BYTES, perChannel[c], plane);
            }
        }
    }

    /** x[i] += b over {@code length} floats from byte offset {@code from}. */
    private static void add(ByteBuffer x, int from, float b, int length) {
        int bound = SPECIES.loopBound(length);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            int offset = from + i * Float.BYTES;
            FloatVector.fromByteBuffer(SPECIES, x, offset, ORDER).add(b).intoByteBuffer(x, offset, ORDER);
        }
        for (; i < length; i++) {
            int offset = from + i * Float.BYTES;
            x.putFloat(offset, x.getFloat(offset) + b);
        }
    }
}
