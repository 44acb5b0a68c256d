package dev.workbench.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Saves and loads the models of one family and architecture: the objective writes and reads the networks, this
 * class adds the manifest that says what the file is and checks it on the way back.
 */
public final class ModelArchive {
    /** The manifest's name inside the model zip, beside DL4J's own entries. */
    public static final String MANIFEST_ENTRY = "workbench-model.json";
    /** A model over word ids keeps its vocabulary beside it: one token per line, in id order. */
    public static final String VOCABULARY_ENTRY = "vocabulary.txt";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String family;
    private final String architecture;
    private final TrainingObjective objective;

    public ModelArchive(String family, String architecture, TrainingObjective objective) {
        this.family = family;
        this.architecture = architecture;
        this.objective = objective;
    }

    public TrainingObjective objective() {
        return objective;
    }

    /** Writes {@code network} with its training state to {@code file}, then its manifest. */
    public void save(Network network, Path file) throws IOException {
        save(network, file, Map.of());
    }

    /** As {@link #save(Network, Path)}, adding {@code entries} (name to contents) beside the manifest. */
    public void save(Network network, Path file, Map<String, byte[]> entries) throws IOException {
        network.save(file);
        ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT_VERSION, network.kind(), family, architecture,
                objective.name());
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + file.toUri()), Map.of())) {
            Files.write(zip.getPath(MANIFEST_ENTRY), JSON.writeValueAsBytes(manifest));
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                Files.write(zip.getPath(entry.getKey()), entry.getValue());
            }
        }
    }

    /**
     * Reads a model this archive's family and architecture saved.
     *
     * @throws IllegalArgumentException naming the file when it is not such a model
     * @throws DamagedFileException when the file is truncated or its contents garbled
     */
    public Network load(Path file) {
        ModelManifest manifest = manifest(file);
        if (!manifest.family().equals(family) || !manifest.architecture().equals(architecture)) {
            throw new IllegalArgumentException(file + ": holds a " + manifest.family() + "/" + manifest.architecture()
                    + " model, but the job's model is " + family + "/" + architecture);
        }
        if (!manifest.objective().equals(objective.name())) {
            throw new IllegalArgumentException(file + ": trained for objective " + manifest.objective()
                    + ", but the job's model trains for " + objective.name());
        }
        try {
            return objective.load(file, manifest);
        } catch (IOException | RuntimeException e) {
            throw new DamagedFileException(file, "cannot read the network inside (" + reason(e) + "); the file is damaged",
                    e);
        }
    }

    /** The vocabulary {@code file} was saved with ({@link #VOCABULARY_ENTRY}), empty when it has none. */
    public static Optional<List<String>> vocabulary(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(VOCABULARY_ENTRY);
            if (entry == null) {
                return Optional.empty();
            }
            String text = new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
            return Optional.of(List.of(text.split("\n")));
        }
    }

    /** The entry that records {@code tokens} as {@link #VOCABULARY_ENTRY}. */
    public static Map<String, byte[]> vocabularyEntry(List<String> tokens) {
        return Map.of(VOCABULARY_ENTRY, String.join("\n", tokens).getBytes(StandardCharsets.UTF_8));
    }

    /** The manifest of a saved model. */
    public static ModelManifest manifest(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(MANIFEST_ENTRY);
            if (entry == null) {
                throw new IllegalArgumentException(file + ": no " + MANIFEST_ENTRY + " inside; it was written by an "
                        + "older workbench (or is not a workbench model): train its job again");
            }
            ModelManifest manifest = JSON.readValue(zip.getInputStream(entry), ModelManifest.class);
            if (manifest.formatVersion() != ModelManifest.FORMAT_VERSION) {
                throw new IllegalArgumentException(file + ": model format " + manifest.formatVersion()
                        + ", this workbench reads format " + ModelManifest.FORMAT_VERSION + ": train its job again");
            }
            return manifest;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such model file", e);
        } catch (ZipException e) {
            throw new DamagedFileException(file, "not a readable zip (" + e.getMessage()
                    + "); the file is truncated or damaged", e);
        } catch (IOException e) {
            throw new DamagedFileException(file, "cannot read its " + MANIFEST_ENTRY + " (" + reason(e)
                    + "); the file is damaged", e);
        }
    }

    /** The first cause that says something: DL4J wraps an EOFException in a RuntimeException that only repeats it. */
    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException) {
                return "its data ends early";
            }
            String message = t.getMessage();
            boolean repeatsCause = t.getCause() != null && t.getCause().toString().equals(message);
            if (message != null && !message.isBlank() && !repeatsCause) {
                return t.getClass().getSimpleName() + ": " + message;
            }
        }
        return e.getClass().getSimpleName();
    }
}
