package dev.workbench.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * How a run was made, beside its metrics in summary.json: which workbench (version, and the git commit of its
 * checkout when it runs from one), which library versions (read from the jars on the class path), and the
 * SHA-256 of every data file the run read (its dataset's verified SHA256SUMS).
 *
 * @param commit    the checkout's commit, null when not known (a jar outside a git checkout)
 * @param libraries artifact name to version, as each jar's Maven metadata says; "unknown" when a jar has none
 * @param dataFiles file name to SHA-256, for the files of the run's dataset
 */
public record Provenance(String workbenchVersion, String commit, Map<String, String> libraries,
                         String dataset, Map<String, String> dataFiles) {
    private static final List<String> LIBRARIES = List.of(
            "org.deeplearning4j/deeplearning4j-nn", "org.nd4j/nd4j-api", "org.datavec/datavec-api",
            "com.microsoft.onnxruntime/onnxruntime");

    /**
     * @param checkout    the workbench's own folder (to find its git commit), or null
     * @param dataset     the dataset's name
     * @param dataFolder  its folder, holding the SHA256SUMS its files were verified against
     */
    public static Provenance of(Path checkout, String dataset, Path dataFolder) {
        return new Provenance(currentWorkbenchVersion(), checkout == null ? null : GitCommit.of(checkout), libraryVersions(),
                dataset, checksums(dataFolder.resolve("SHA256SUMS")));
    }

    static String currentWorkbenchVersion() {
        Properties properties = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("workbench-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            properties.load(in);
        } catch (IOException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }

    static Map<String, String> libraryVersions() {
        Map<String, String> versions = new LinkedHashMap<>();
        for (String library : LIBRARIES) {
            String resource = "META-INF/maven/" + library + "/pom.properties";
            Properties properties = new Properties();
            try (InputStream in = Provenance.class.getClassLoader().getResourceAsStream(resource)) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
            versions.put(library.substring(library.indexOf('/') + 1), properties.getProperty("version", "unknown"));
        }
        return versions;
    }

    /** The file-to-hash lines of a {@code sha256sum} listing; empty when the dataset has none. */
    static Map<String, String> checksums(Path sums) {
        Map<String, String> files = new LinkedHashMap<>();
        if (!Files.isRegularFile(sums)) {
            return files;
        }
        try {
            for (String line : Files.readAllLines(sums)) {
                if (!line.isBlank()) {
                    String[] parts = line.trim().split("\\s+\\*?", 2);
                    files.put(parts[1], parts[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sums, e);
        }
        return files;
    }
}
