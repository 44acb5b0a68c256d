package dev.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The layering the packages keep: configuration records at the bottom, the core above them, no cycles back. */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/workbench");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.workbench\\.(\\w+)", Pattern.MULTILINE);

    private static List<String> importsOf(String pkg, int depth, List<String> forbidden) {
        try (Stream<Path> files = Files.walk(SOURCES.resolve(pkg), depth)) {
            return files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                try {
                    Matcher m = IMPORT.matcher(Files.readString(f));
                    return m.results().map(r -> r.group(1)).filter(forbidden::contains)
                            .map(p -> SOURCES.relativize(f) + " imports dev.workbench." + p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theJobFileDependsOnNoCorePackage() {
        assertEquals(List.of(), importsOf("job", Integer.MAX_VALUE, List.of("data", "models", "train", "report", "onnx", "cli")));
    }

    @Test
    void theTrainingLoopDependsOnNoFamilyReportOrSpeedLayer() {
        assertEquals(List.of(), importsOf("train", Integer.MAX_VALUE, List.of("models", "report", "onnx", "cli", "cpu")));
    }

    /** Architectures read like the paper: DL4J's layers; the CPU twins come in by one substitution step. */
    @Test
    void noFamilyNamesTheFastCpuLayers() {
        assertEquals(List.of(), importsOf("models", Integer.MAX_VALUE, List.of("cpu")));
        assertEquals(List.of(), importsOf("onnx", Integer.MAX_VALUE, List.of("cpu")));
    }
}
