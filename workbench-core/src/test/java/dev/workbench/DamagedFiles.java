package dev.workbench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** The damage a copied run folder or a failing disk does to a run's files, done on purpose. */
public final class DamagedFiles {
    private DamagedFiles() {
    }

    /** Keeps the first half of {@code file}, as an interrupted copy leaves it. */
    public static void truncate(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    }

    /** Replaces one entry of a zip with random bytes of the same length; the zip itself stays valid. */
    public static void garble(Path zip, String entry) throws IOException {
        Path rewritten = zip.resolveSibling(zip.getFileName() + ".rewritten");
        boolean found = false;
        try (ZipFile in = new ZipFile(zip.toFile());
             OutputStream file = Files.newOutputStream(rewritten);
             ZipOutputStream out = new ZipOutputStream(file)) {
            for (ZipEntry e : Collections.list(in.entries())) {
                byte[] data = in.getInputStream(e).readAllBytes();
                if (e.getName().equals(entry)) {
                    new Random(7).nextBytes(data);
                    found = true;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(data);
                out.closeEntry();
            }
        }
        if (!found) {
            throw new IllegalArgumentException(zip + " has no entry " + entry);
        }
        Files.move(rewritten, zip, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A copy of a folder tree (a run folder to damage without touching the original). */
    public static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }
}
