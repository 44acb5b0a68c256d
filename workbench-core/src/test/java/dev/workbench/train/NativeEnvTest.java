package dev.workbench.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * workbench-core/native-env.sh, which ./workbench and the benchmarks source before starting a JVM: the OpenBLAS
 * core type it leaves for a CPU's flags (a cpuinfo file in the format of /proc/cpuinfo) and the variables it starts
 * with.
 */
class NativeEnvTest {
    private static final Path SCRIPT = Path.of(System.getProperty("workbench.root", ".."), "workbench-core", "native-env.sh");
    // The flags lines of an AVX-512 AMD EPYC (this project's machines) and of an AVX2 Haswell, cut to the vector ones.
    private static final String AVX512 = "flags\t\t: fpu sse sse2 avx fma avx2 avx512f avx512dq avx512ifma avx512cd avx512bw avx512vl avx512vbmi\n";
    private static final String AVX2 = "flags\t\t: fpu sse sse2 avx fma avx2\n";

    @TempDir
    Path folder;

    @Test
    void anAvx512CpuGetsSkylakeXKernelsInPlaceOfAvx2Ones() throws Exception {
        assertEquals("SkylakeX", coreType(AVX512, Map.of()));
        assertEquals("SkylakeX", coreType(AVX512, Map.of("OPENBLAS_CORETYPE", "Haswell")));
        assertEquals("SkylakeX", coreType(AVX512, Map.of("OPENBLAS_CORETYPE", "zen")));
    }

    @Test
    void otherCpusAndOtherSettingsAreLeftAsTheyAre() throws Exception {
        assertEquals("unset", coreType(AVX2, Map.of()));
        assertEquals("Haswell", coreType(AVX2, Map.of("OPENBLAS_CORETYPE", "Haswell")));
        assertEquals("Sandybridge", coreType(AVX512, Map.of("OPENBLAS_CORETYPE", "Sandybridge")));
        assertEquals("Haswell", coreType(AVX512, Map.of("WORKBENCH_OPENBLAS_CORETYPE", "Haswell")));
        assertEquals("unset", coreType("processor\t: 0\n", Map.of()), "no flags line");
    }

    @Test
    void mallocKeepsOneArenaWithFixedThresholdsUnlessTunablesAreSet() throws Exception {
        assertEquals("glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824",
                variable("GLIBC_TUNABLES", AVX2, Map.of()));
        assertEquals("glibc.malloc.check=0", variable("GLIBC_TUNABLES", AVX2, Map.of("GLIBC_TUNABLES", "glibc.malloc.check=0")));
    }

    private String coreType(String cpuinfo, Map<String, String> variables) throws IOException, InterruptedException {
        return variable("OPENBLAS_CORETYPE", cpuinfo, variables);
    }

    /** The exported variable {@code name} after sourcing the script under {@code set -eu}, as the launcher does
     * ("unset" if it is not exported). */
    private String variable(String name, String cpuinfo, Map<String, String> variables)
            throws IOException, InterruptedException {
        Path file = Files.writeString(folder.resolve("cpuinfo"), cpuinfo);
        ProcessBuilder builder = new ProcessBuilder("bash", "-c",
                "set -euo pipefail; source \"$0\"; printenv \"$1\" || echo unset", SCRIPT.toString(), name);
        builder.environment().remove("OPENBLAS_CORETYPE");
        builder.environment().remove("GLIBC_TUNABLES");
        builder.environment().remove("WORKBENCH_OPENBLAS_CORETYPE");
        builder.environment().putAll(variables);
        builder.environment().put("WORKBENCH_CPUINFO", file.toString());
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.waitFor(), SCRIPT + " failed: " + output);
        return output;
    }
}
