package dev.workbench.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.workbench.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a search has done, in search.json, written atomically after every change: its candidates, the rung in
 * progress and the seconds spent by earlier processes, so a stopped search resumes without training a finished
 * candidate again.
 */
final class SearchState {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** search.json. */
    record Saved(int rung, double seconds, List<Candidate> candidates) {
    }

    private final Path file;
    private final TreeMap<Integer, Candidate> candidates = new TreeMap<>();
    private final double earlierSeconds;
    private final long start = System.nanoTime();
    private int rung;

    private SearchState(Path file, Saved saved) {
        this.file = file;
        saved.candidates().forEach(c -> candidates.put(c.index(), c));
        this.earlierSeconds = saved.seconds();
        this.rung = saved.rung();
    }

    static SearchState fresh(Path file) {
        return new SearchState(file, new Saved(0, 0, List.of()));
    }

    static SearchState load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": missing; not a search folder (or the search never started)");
        }
        try {
            return new SearchState(file, JSON.readValue(file.toFile(), Saved.class));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    synchronized Optional<Candidate> get(int index) {
        return Optional.ofNullable(candidates.get(index));
    }

    synchronized void put(Candidate candidate) {
        candidates.put(candidate.index(), candidate);
        save();
    }

    synchronized List<Candidate> all() {
        return new ArrayList<>(candidates.values());
    }

    synchronized int rung() {
        return rung;
    }

    /** Moves to {@code next}, with the candidates halving stops, in one write. */
    synchronized void advance(int next, List<Candidate> stopped) {
        stopped.forEach(c -> candidates.put(c.index(), c));
        rung = next;
        save();
    }

    /** Seconds spent on this search by every process so far. */
    double seconds() {
        return earlierSeconds + (System.nanoTime() - start) / 1e9;
    }

    private void save() {
        try {
            AtomicFiles.writeString(file, JSON.writeValueAsString(new Saved(rung, seconds(), all())));
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the search state", e);
        }
    }
}
