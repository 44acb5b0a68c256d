package dev.workbench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a run ran: ND4J backend, BLAS, the native kernels, threads, versions. Recorded in summary.json so that
 * numbers from different machines are never compared blind. {@code kernels} says whether DL4J's oneDNN helpers ran
 * and which natives were loaded: on the CPU build most products and convolutions run in oneDNN, not in the BLAS.
 */
public record RunEnvironment(String backend, String blas, String kernels, int ompThreads, int blasThreads, int cpuCores,
                             String cpu, String java, String dl4j, String os) {

    public static RunEnvironment current() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        // Values are not all Strings (omp.threads is an Integer), so Properties.getProperty would miss them.
        String backend = String.valueOf(env.getOrDefault("backend", Nd4j.getBackend().getClass().getSimpleName()));
        String blas = String.valueOf(env.getOrDefault("blas.vendor", "unknown"));
        int threads = parseInt(String.valueOf(env.get("omp.threads")), -1);
        int blasThreads = parseInt(String.valueOf(env.get("blas.threads")), -1);
        return new RunEnvironment(backend, blas, nativeKernels(), threads, blasThreads,
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"),
                Provenance.libraryVersions().get("deeplearning4j-nn"), System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }

    private static String nativeKernels() {
        String natives = Loader.getPlatform() + System.getProperty("javacpp.platform.extension", "");
        return "oneDNN helpers " + (BaseMKLDNNHelper.mklDnnEnabled() ? "on" : "off") + ", natives " + natives;
    }

    private static int parseInt(String text, int fallback) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
