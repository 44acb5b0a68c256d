package dev.workbench.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checkpoints/ folder of a run: epoch-NNNN.zip (network with updater state) plus state.json pointing at
 * the newest complete one, and best.zip (the best epoch so far). Every file is written atomically and
 * state.json last, so an interrupted write never leaves a checkpoint that resume would trust.
 */
public final class CheckpointStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int KEEP = 2;

    private final Path folder;
    private final ModelArchive archive;

    /** @param archive how the run's models are saved and read back */
    public CheckpointStore(Path folder, ModelArchive archive) {
        this.folder = folder;
        this.archive = archive;
    }

    public Path folder() {
        return folder;
    }

    public Path bestModel() {
        return folder.resolve("best.zip");
    }

    /** Saves {@code network} as the checkpoint of {@code state.completedEpochs()}; returns the state that names it. */
    public TrainingState write(Network network, TrainingState state) {
        String name = String.format("epoch-%04d.zip", state.completedEpochs());
        TrainingState saved = state.withCheckpoint(name);
        try {
            AtomicFiles.write(folder.resolve(name), tmp -> archive.save(network, tmp));
            AtomicFiles.write(folder.resolve("state.json"), tmp -> JSON.writeValue(tmp.toFile(), saved));
            pruneOlderThan(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint in " + folder, e);
        }
        return saved;
    }

    public void writeBest(Network network) {
        try {
            AtomicFiles.write(bestModel(), tmp -> archive.save(network, tmp));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + bestModel(), e);
        }
    }

    /** The newest complete checkpoint, if any. */
    public Optional<TrainingState> latest() {
        Path state = folder.resolve("state.json");
        if (!Files.isRegularFile(state)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(state.toFile(), TrainingState.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + state + " (the checkpoint cannot be resumed)", e);
        }
    }

    public Network load(TrainingState state) {
        return archive.load(folder.resolve(state.checkpoint()));
    }

    private void pruneOlderThan(String newest) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            var epochs = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("epoch-\\d{4}\\.zip"))
                    .sorted()
                    .toList();
            for (int i = 0; i < epochs.size() - KEEP; i++) {
                if (!epochs.get(i).equals(newest)) {
                    Files.deleteIfExists(folder.resolve(epochs.get(i)));
                }
            }
        }
    }
}
