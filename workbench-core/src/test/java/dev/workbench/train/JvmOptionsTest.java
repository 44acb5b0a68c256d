package dev.workbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * Every workbench JVM starts with workbench-core/jvm.options (the launcher, the benchmarks and this test JVM, via
 * Surefire's argLine). This checks that the file reached the JVM running the tests, option by option, so that a
 * property added to the file but lost on the way fails here rather than as a slower or differently-loaded run.
 */
class JvmOptionsTest {
    private static final Path OPTIONS = Path.of(System.getProperty("workbench.root", "."), "workbench-core", "jvm.options");

    @Test
    void theTestJvmRunsWithTheOptionsFile() throws IOException {
        List<String> options = Files.readAllLines(OPTIONS).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertFalse(options.isEmpty(), OPTIONS + " lists no options");
        for (String option : options) {
            if (option.startsWith("-D")) {
                String[] keyValue = option.substring(2).split("=", 2);
                assertEquals(keyValue[1], System.getProperty(keyValue[0]), "system property from " + OPTIONS + ": " + option);
            } else if (option.startsWith("--add-modules=")) {
                String module = option.substring("--add-modules=".length());
                assertTrue(ModuleLayer.boot().findModule(module).isPresent(), "module from " + OPTIONS + ": " + module);
            } else if (option.startsWith("--add-opens=")) {
                String[] target = option.substring("--add-opens=".length()).split("=")[0].split("/");
                assertTrue(ModuleLayer.boot().findModule(target[0]).orElseThrow().isOpen(target[1], JvmOptionsTest.class.getModule()),
                        "opened package from " + OPTIONS + ": " + option);
            }
        }
    }

    @Test
    void javaCppSkipsTheResidentSizeCheck() {
        // 0: JavaCPP no longer reads /proc on each native pointer it registers, a real cost in a training step.
        assertEquals(0, Pointer.maxPhysicalBytes());
    }
}
