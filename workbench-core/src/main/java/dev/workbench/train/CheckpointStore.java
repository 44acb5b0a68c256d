package dev.workbench.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The checkpoints/ folder of a run: epoch-NNNN.zip (network with updater state, and a copy of its training state)
 * plus state.json pointing at the newest complete one, and best.zip (the best epoch so far). Every file is written
 * atomically and state.json last, so an interrupted write (a full disk, a killed process) never leaves a checkpoint
 * that resume would trust. The copy inside each checkpoint lets resume go on when state.json or the newest
 * checkpoint is damaged after all (a copied folder, a failing disk).
 */
public final class CheckpointStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int KEEP = 2;
    /** The training state inside each checkpoint, beside the network's entries and the manifest. */
    static final String STATE_ENTRY = "workbench-state.json";
    private static final String CHECKPOINT_NAME = "epoch-\\d{4}\\.zip";

    private final Path folder;
    private final ModelArchive archive;

    /** @param archive how the run's models are saved and read back */
    public CheckpointStore(Path folder, ModelArchive archive) {
        this.folder = folder;
        this.archive = archive;
    }

    /** A checkpoint read back: the state to continue from and the network saved with it. */
    public record Restored(TrainingState state, Network network) {
    }

    public Path folder() {
        return folder;
    }

    public Path bestModel() {
        return folder.resolve("best.zip");
    }

    private Path stateFile() {
        return folder.resolve("state.json");
    }

    /** Saves {@code network} as the checkpoint of {@code state.completedEpochs()}; returns the state that names it. */
    public TrainingState write(Network network, TrainingState state) {
        String name = String.format("epoch-%04d.zip", state.completedEpochs());
        TrainingState saved = state.withCheckpoint(name);
        try {
            byte[] stateJson = JSON.writeValueAsBytes(saved);
            AtomicFiles.write(folder.resolve(name), tmp -> archive.save(network, tmp, Map.of(STATE_ENTRY, stateJson)));
            AtomicFiles.write(stateFile(), tmp -> Files.write(tmp, stateJson));
            pruneOlderThan(name);
        } catch (IOException e) {
            throw new UncheckedIOException(writeFailure(name), e);
        }
        return saved;
    }

    /** What a failed write leaves to resume from, which state.json (written last) still names. */
    private String writeFailure(String name) {
        String failed = "cannot write checkpoint " + folder.resolve(name);
        try {
            Optional<TrainingState> previous = latest();
            return previous.isEmpty() ? failed : failed + " (state.json still names " + previous.get().checkpoint()
                    + "; once the cause is fixed, continue with: workbench train --resume " + folder.getParent() + ")";
        } catch (RuntimeException unreadable) {
            return failed;
        }
    }

    public void writeBest(Network network) {
        try {
            AtomicFiles.write(bestModel(), tmp -> archive.save(network, tmp));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + bestModel(), e);
        }
    }

    /**
     * The newest complete checkpoint as state.json records it, if any.
     *
     * @throws DamagedFileException when state.json cannot be read
     */
    public Optional<TrainingState> latest() {
        return Files.isRegularFile(stateFile()) ? Optional.of(readState(stateFile())) : Optional.empty();
    }

    public Network load(TrainingState state) {
        return archive.load(folder.resolve(state.checkpoint()));
    }

    /**
     * The checkpoint to resume from: the one state.json names, or, when state.json or that checkpoint cannot be read,
     * the newest one that can, with the state saved inside it. Each file passed over is reported to {@code warnings}
     * beside the file used instead; a damaged checkpoint is renamed to {@code epoch-NNNN.zip.damaged} so that it is
     * neither trusted nor kept in place of an intact one. Empty when the folder holds no checkpoint.
     *
     * @throws IllegalArgumentException naming every file tried when none can be read
     */
    public Optional<Restored> restore(Consumer<String> warnings) {
        List<String> saved = checkpointsNewestFirst();
        TrainingState recorded = null;
        String stateProblem = null;
        if (Files.isRegularFile(stateFile())) {
            try {
                recorded = readState(stateFile());
            } catch (DamagedFileException e) {
                stateProblem = e.getMessage();
            }
        }
        if (recorded == null && saved.isEmpty()) {
            if (stateProblem == null) {
                return Optional.empty();
            }
            throw new IllegalArgumentException(stateProblem + ", and there is no epoch-NNNN.zip to recover from: "
                    + trainAgain());
        }
        List<String> candidates = new ArrayList<>();
        if (recorded != null) {
            candidates.add(recorded.checkpoint());
            int epoch = recorded.completedEpochs();
            saved.stream().filter(name -> epochOf(name) < epoch).forEach(candidates::add);
        } else {
            candidates.addAll(saved);
        }
        List<String> passedOver = new ArrayList<>();
        for (String name : candidates) {
            Path file = folder.resolve(name);
            try {
                TrainingState state = recorded != null && name.equals(recorded.checkpoint()) ? recorded : stateInside(file);
                Network network = archive.load(file);
                String resumed = file + " (epoch " + state.completedEpochs() + ")";
                if (stateProblem != null) {
                    warnings.accept(stateProblem + ". Resuming from " + resumed + ", which holds its own copy of the "
                            + "training state");
                }
                for (String problem : passedOver) {
                    warnings.accept(problem + ". Resuming from " + resumed + " instead; the epochs after it are "
                            + "trained again");
                }
                return Optional.of(new Restored(state, network));
            } catch (DamagedFileException e) {
                passedOver.add(e.getMessage() + setAside(file));
            } catch (IllegalArgumentException e) {
                passedOver.add(e.getMessage());
            }
        }
        List<String> problems = new ArrayList<>(passedOver);
        if (stateProblem != null) {
            problems.add(0, stateProblem);
        }
        throw new IllegalArgumentException(folder + ": no checkpoint can be resumed (" + String.join("; ", problems)
                + "): " + trainAgain());
    }

    private String trainAgain() {
        return "train the job again with: workbench train " + folder.resolveSibling("job.yaml");
    }

    /** Renames a damaged checkpoint out of the epoch-NNNN.zip names; says so, or nothing if it is not there. */
    private static String setAside(Path file) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        Path aside = file.resolveSibling(file.getFileName() + ".damaged");
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            return " (kept as " + aside.getFileName() + ")";
        } catch (IOException e) {
            return "";
        }
    }

    /** The training state saved inside a checkpoint. */
    private static TrainingState stateInside(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(STATE_ENTRY);
            if (entry == null) {
                throw new IllegalArgumentException(file + ": holds no " + STATE_ENTRY
                        + " (written by an older workbench), so its epoch's training state is unknown");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return JSON.readValue(in, TrainingState.class);
            }
        } catch (JsonProcessingException e) {
            throw new DamagedFileException(file, "its " + STATE_ENTRY + " cannot be read (" + jsonProblem(e)
                    + "); the file is damaged", e);
        } catch (IOException e) {
            throw new DamagedFileException(file, "not a readable zip (" + e.getMessage()
                    + "); the file is truncated or damaged", e);
        }
    }

    private static TrainingState readState(Path file) {
        try {
            return JSON.readValue(file.toFile(), TrainingState.class);
        } catch (JsonProcessingException e) {
            throw new DamagedFileException(file, "cannot be read (" + jsonProblem(e) + "); the file is damaged", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Jackson's words without its source excerpt, and a plain one for the usual case, a file cut short. */
    private static String jsonProblem(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonEOFException) {
                return "the file ends early, truncated?";
            }
        }
        String message = e.getOriginalMessage().lines().findFirst().orElse("").strip();
        if (message.contains("end-of-input")) {
            return "the file ends early, truncated?";
        }
        return e.getLocation() == null ? message
                : message + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    private static int epochOf(String checkpoint) {
        return Integer.parseInt(checkpoint.substring("epoch-".length(), checkpoint.length() - ".zip".length()));
    }

    private List<String> checkpointsNewestFirst() {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches(CHECKPOINT_NAME))
                    .sorted(Comparator.reverseOrder())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private void pruneOlderThan(String newest) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            var epochs = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches(CHECKPOINT_NAME))
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
