package dev.workbench.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workbench.report.RunEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

/**
 * Turns JMH's JSON results into benchmarks/RESULTS.md: training throughput with achieved GFLOP/s against the
 * measured sgemm peak, inference latency and throughput for DL4J and ONNX Runtime, and the machine.
 *
 * <p>usage: ResultsTable JMH_JSON RESULTS_MD "JMH SETTINGS"
 */
public final class ResultsTable {
    private ResultsTable() {
    }

    public static void main(String[] args) throws IOException {
        JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        StringBuilder md = new StringBuilder("# Benchmark results\n\n");
        RunEnvironment env = RunEnvironment.current();
        md.append(String.format(Locale.ROOT, "Measured %s with `benchmarks/run` (JMH %s): %s.%n%n", LocalDate.now(),
                "1.37", args.length > 2 ? args[2] : ""));
        md.append(String.format(Locale.ROOT, "Machine: %s, %d cores; ND4J backend %s, BLAS %s, %s, OMP threads %d, "
                        + "BLAS threads %d; Java %s, DL4J %s.%n%n", env.cpu(), env.cpuCores(), env.backend(),
                env.blas(), env.kernels(), env.ompThreads(), env.blasThreads(), env.java(), env.dl4j()));
        md.append("Median of the measurement iterations; ± is JMH's 99.9% confidence half-width of the mean.\n\n");

        double peak = Double.NaN;
        for (JsonNode r : results) {
            if (r.get("benchmark").asText().endsWith("SgemmPeakBenchmark.sgemm")) {
                int n = r.get("params").get("n").asInt();
                double flops = 2.0 * n * n * n;
                peak = median(r) * flops / 1e9;
                md.append(String.format(Locale.ROOT, "## sgemm peak (`Nd4j.gemm`, n x n by n x n: "
                                + "oneDNN matmul on the CPU build)%n%n| n | GFLOP/s |%n|---|---|%n"
                                + "| %d | %.1f ± %.1f |%n%n",
                        n, peak, error(r) * flops / 1e9));
            }
        }
        md.append("## Training step (forward + backward + Adam) on real batches (MNIST; Tiny Shakespeare for W3; review "
                + "sentences for W4; for W5 and W6 one full-batch epoch on Cora)\n\n");
        md.append("| workload | model | batch | per second | GFLOP/s achieved | % of sgemm peak |\n|---|---|---|---|---|---|\n");
        for (JsonNode r : results) {
            if (r.get("benchmark").asText().endsWith("TrainingStepBenchmark.trainingStep")) {
                Workload w = Workload.valueOf(r.get("params").get("workload").asText());
                double samples = median(r) * w.batch();
                double gflops = samples * w.trainingFlops() / 1e9;
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s ± %s %s | %.2f | %.1f%% |%n", w, w.model(), w.batch(),
                        rate(samples), rate(error(r) * w.batch()), w.unit(), gflops, 100 * gflops / peak));
            }
        }
        md.append("\n## Inference: DL4J vs ONNX Runtime (the exported model of the same network)\n\n");
        md.append("| workload | engine | batch | µs per call | samples/s |\n|---|---|---|---|---|\n");
        for (JsonNode r : results) {
            if (r.get("benchmark").asText().endsWith("InferenceBenchmark.infer")) {
                JsonNode p = r.get("params");
                int batch = p.get("batch").asInt();
                double micros = median(r);
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f ± %.1f | %.0f |%n", p.get("workload").asText(),
                        p.get("engine").asText(), batch, micros, error(r), batch * 1e6 / micros));
            }
        }
        Files.writeString(Path.of(args[1]), md.toString());
    }

    /** Whole numbers, except below 100 (a graph workload's epochs/s), where a decimal still carries information. */
    private static String rate(double value) {
        return String.format(Locale.ROOT, value < 100 ? "%.1f" : "%.0f", value);
    }

    private static double median(JsonNode result) {
        return result.get("primaryMetric").get("scorePercentiles").get("50.0").asDouble();
    }

    private static double error(JsonNode result) {
        double e = result.get("primaryMetric").get("scoreError").asDouble();
        return Double.isNaN(e) ? 0 : e;
    }
}
