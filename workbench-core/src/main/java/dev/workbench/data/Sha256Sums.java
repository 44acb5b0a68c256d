package dev.workbench.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Verifies a dataset folder against its {@code SHA256SUMS} file (the format {@code sha256sum} writes). */
public final class Sha256Sums {
    public static final String FILE_NAME = "SHA256SUMS";
    /** Downloads, checks and unpacks the datasets too large to commit (datasets/pom.xml). */
    public static final String FETCH_COMMAND = "mvn -q -pl datasets generate-resources";

    private Sha256Sums() {
    }

    private record Entry(String sha256, String file) {
    }

    private record Corrupt(String file, String actual, String expected) {
        String detail() {
            return "SHA-256 is " + actual + ", expected " + expected;
        }
    }

    /**
     * Checks every file listed in {@code folder/SHA256SUMS}; throws naming every file that is missing or altered
     * (all of them, so that one restore fixes the folder) and how to restore them.
     */
    public static void verify(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new DataFileException(folder, "missing (the whole dataset folder)", howToRestore(folder, true));
        }
        List<String> missing = new ArrayList<>();
        List<Corrupt> corrupt = new ArrayList<>();
        for (Entry entry : entries(folder)) {
            Path file = folder.resolve(entry.file());
            if (!Files.isRegularFile(file)) {
                missing.add(entry.file());
                continue;
            }
            String actual = sha256(file);
            if (!actual.equalsIgnoreCase(entry.sha256())) {
                corrupt.add(new Corrupt(entry.file(), actual, entry.sha256()));
            }
        }
        if (missing.size() + corrupt.size() == 1) {
            throw missing.isEmpty()
                    ? new DataFileException(folder.resolve(corrupt.get(0).file()),
                            "corrupt: " + corrupt.get(0).detail(), howToRestore(folder, false))
                    : new DataFileException(folder.resolve(missing.get(0)), "missing", howToRestore(folder, false));
        }
        if (missing.size() + corrupt.size() > 1) {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) {
                parts.add(count(missing.size()) + " missing: " + String.join(", ", missing));
            }
            if (!corrupt.isEmpty()) {
                parts.add(count(corrupt.size()) + " corrupt: "
                        + String.join(", ", corrupt.stream().map(c -> c.file() + " (" + c.detail() + ")").toList()));
            }
            throw new DataFileException(folder, String.join("; ", parts), howToRestore(folder, true));
        }
    }

    /** Whether {@code folder/SHA256SUMS} is readable and every file it lists exists (without hashing them). */
    public static boolean allPresent(Path folder) {
        try {
            return entries(folder).stream().allMatch(entry -> Files.isRegularFile(folder.resolve(entry.file())));
        } catch (DataFileException e) {
            return false;
        }
    }

    /**
     * What to do about a bad file of a dataset folder such as {@code datasets/iris}: a committed one is restored from
     * git; a fetched one (its own {@code .gitignore} keeps its data out of git) is fetched again by the build.
     */
    public static String howToRestore(Path folder, boolean several) {
        String name = folder.getFileName().toString();
        String them = several ? "them" : "it";
        String elsewhere = ", or set " + DataLocations.VARIABLE + " to a copy of datasets/ that has " + them
                + " (datasets/" + name + "/SOURCE.md says where the data comes from)";
        if (Files.isRegularFile(folder.resolve(".gitignore"))) {
            return "The build fetches " + them + ": delete any corrupt file and run `" + FETCH_COMMAND
                    + "` in the workbench repository (./workbench does so by itself when a file is missing)"
                    + elsewhere;
        }
        return "Restore " + them + " with `git checkout -- datasets/" + name + "` in the workbench repository"
                + elsewhere;
    }

    private static String count(int files) {
        return files + (files == 1 ? " file" : " files");
    }

    private static List<Entry> entries(Path folder) {
        Path sums = folder.resolve(FILE_NAME);
        if (!Files.isRegularFile(sums)) {
            throw new DataFileException(sums, "missing", howToRestore(folder, false));
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(sums);
        } catch (IOException e) {
            throw new DataFileException(sums, "unreadable (" + e.getMessage() + ")", howToRestore(folder, false));
        }
        List<Entry> entries = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            if (lines.get(n).isBlank()) {
                continue;
            }
            // sha256sum writes "<hex>  <name>", or "<hex> *<name>" in binary mode.
            String[] parts = lines.get(n).trim().split("\\s+\\*?", 2);
            if (parts.length != 2 || parts[1].isBlank()) {
                throw new DataFileException(sums, "line " + (n + 1) + " is not '<sha256>  <file>'",
                        howToRestore(folder, false));
            }
            entries.add(new Entry(parts[0], parts[1]));
        }
        return entries;
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
