package dev.workbench.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reads IDX files (the MNIST format), plain or gzipped: unsigned-byte images and labels. */
public final class IdxFile {
    private static final int IMAGES_MAGIC = 2051;
    private static final int LABELS_MAGIC = 2049;

    private IdxFile() {
    }

    /** Images as a float matrix {@code [n, rows*cols]} of raw 0..255 values. */
    public static INDArray images(Path file) {
        try (DataInputStream in = open(file)) {
            expectMagic(file, in.readInt(), IMAGES_MAGIC);
            int n = in.readInt();
            int pixels = in.readInt() * in.readInt();
            byte[] raw = new byte[n * pixels];
            in.readFully(raw);
            float[] values = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                values[i] = raw[i] & 0xFF;
            }
            return Nd4j.create(values, new long[]{n, pixels}, 'c');
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    public static int[] labels(Path file) {
        try (DataInputStream in = open(file)) {
            expectMagic(file, in.readInt(), LABELS_MAGIC);
            byte[] raw = new byte[in.readInt()];
            in.readFully(raw);
            int[] labels = new int[raw.length];
            for (int i = 0; i < raw.length; i++) {
                labels[i] = raw[i] & 0xFF;
            }
            return labels;
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** The IDX bytes of the file, gunzipped when it starts with gzip's magic (an IDX header starts with 0, 0). */
    private static DataInputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        boolean gzipped = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return new DataInputStream(gzipped ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in);
    }

    private static void expectMagic(Path file, int actual, int expected) {
        if (actual != expected) {
            throw new DataFileException(file, "not an IDX file (magic " + actual + ", expected " + expected + ")",
                    Sha256Sums.howToRestore(file.getParent(), false));
        }
    }

    private static DataFileException unreadable(Path file, IOException e) {
        return new DataFileException(file, "unreadable (" + e + ")",
                Sha256Sums.howToRestore(file.getParent(), false));
    }
}
