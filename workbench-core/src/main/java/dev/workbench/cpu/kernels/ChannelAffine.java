package dev.workbench.cpu.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * y = x · scale[c] + offset[c] over the channels of contiguous row-major {@code [batch, channels, ...]} float arrays
 * (NCHW), read and written in place in their native buffers: a bias added per channel (scale 1, where the fused
 * multiply-add rounds exactly as x + offset does), as {@code CachedDeconvolutionLayer} adds it.
 */
public final class ChannelAffine {
    private static final VectorSpecies<Float> SPECIES = FloatLanes.SPECIES;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private ChannelAffine() {
    }

    /**
     * {@code y} (may be {@code x}) = x · scale[c] + offset[c]; both contiguous row-major float arrays of one shape,
     * its dimension 1 the channels.
     */
    public static void apply(INDArray x, float[] scale, float[] offset, INDArray y) {
        if (!Arrays.equals(x.shape(), y.shape()) || x.rank() < 2) {
            throw new IllegalArgumentException("per-channel affine of " + x.shapeInfoToString() + " into "
                    + y.shapeInfoToString());
        }
        int batch = Math.toIntExact(x.size(0));
        int channels = Math.toIntExact(x.size(1));
        int plane = Math.toIntExact(x.length() / ((long) batch * channels));
        if (scale.length != channels || offset.length != channels) {
            throw new IllegalArgumentException(scale.length + " scales and " + offset.length + " offsets for "
                    + channels + " channels");
        }
        ByteBuffer xBytes = HostArrays.bytes(x);
        ByteBuffer yBytes = HostArrays.bytes(y);
        int xAt = HostArrays.byteOffset(x);
        int yAt = HostArrays.byteOffset(y);
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                int first = (n * channels + c) * plane * Float.BYTES;
                axpb(xBytes, xAt + first, scale[c], offset[c], yBytes, yAt + first, plane);
            }
        }
    }

    /** y[i] = x[i] · a + b over {@code length} floats from the byte offsets given. */
    private static void axpb(ByteBuffer x, int xAt, float a, float b, ByteBuffer y, int yAt, int length) {
        int bound = SPECIES.loopBound(length);
        FloatVector av = FloatVector.broadcast(SPECIES, a);
        FloatVector bv = FloatVector.broadcast(SPECIES, b);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromByteBuffer(SPECIES, x, xAt + i * Float.BYTES, ORDER).fma(av, bv)
                    .intoByteBuffer(y, yAt + i * Float.BYTES, ORDER);
        }
        for (; i < length; i++) {
            y.putFloat(yAt + i * Float.BYTES, Math.fma(x.getFloat(xAt + i * Float.BYTES), a, b));
        }
    }
}
