package dev.workbench.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Verifies a dataset folder against its {@code SHA256SUMS} file (the format {@code sha256sum} writes). */
public final class Sha256Sums {
    public static final String FILE_NAME = "SHA256SUMS";

    private Sha256Sums() {
    }

    /** Checks every file listed in {@code folder/SHA256SUMS}; throws naming the first one missing or altered. */
    public static void verify(Path folder) {
        verify(folder.resolve(FILE_NAME), folder, "Restore it with `git checkout -- " + folder.getFileName()
                + "` in datasets/, or regenerate it as its SOURCE.md says");
    }

    /**
     * Checks the files of {@code folder} listed in {@code sums} (kept apart from data the project reads but does
     * not ship); {@code remedy} tells the user how to restore a bad file.
     */
    public static void verify(Path sums, Path folder, String remedy) {
        if (!Files.isRegularFile(sums)) {
            throw new DataFileException(sums, "missing", remedy);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(sums);
        } catch (IOException e) {
            throw new DataFileException(sums, "unreadable (" + e.getMessage() + ")", remedy);
        }
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split("\\s+\\*?", 2);
            Path file = folder.resolve(parts[1]);
            if (!Files.isRegularFile(file)) {
                throw new DataFileException(file, "missing", remedy);
            }
            String actual = sha256(file);
            if (!actual.equalsIgnoreCase(parts[0])) {
                throw new DataFileException(file, "corrupt: SHA-256 is " + actual + ", expected " + parts[0], remedy);
            }
        }
    }

    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new DataFileException(file, "unreadable (" + e.getMessage() + ")", "Check its permissions");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
