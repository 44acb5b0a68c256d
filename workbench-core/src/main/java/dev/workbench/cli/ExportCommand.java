package dev.workbench.cli;

import dev.workbench.Workbench;
import dev.workbench.onnx.OnnxExporter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a run's model to ONNX and verify it: the same test inputs go through DL4J and ONNX Runtime,"
                + " and the export is rejected (exit 4) when they differ beyond atol + rtol * |dl4j| (default 1e-5 + 1e-4 * |dl4j|).",
                "Input 'input' float [batch, features] (preprocessed as the metadata says); output 'output' [batch, classes].",
                "A graph model (family gnn) takes the graph too: 'input' holds one row per node, 'edge_index' int64 [2, edges]"
                        + " the source and target node of each edge; its parity check compares every node of the run's graph.",
                "A GAN (family gan) exports its generator: 'noise' float [batch, latent] (and 'label', the one-hot class, for"
                        + " the conditional GAN) in, pixels in [0, 1] out; its parity check feeds the run's fixed noise."})
final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a finished run folder")
    Path run;

    @Option(names = "--format", defaultValue = "onnx", description = "export format (only onnx)")
    String format;

    @Option(names = "--opset", defaultValue = "" + OnnxExporter.DEFAULT_OPSET, description = "lowest ONNX opset to write, 13..21 (default ${DEFAULT-VALUE}); "
            + "graph layers raise it: GCN and GraphSAGE to 16, GAT to 18")
    int opset;

    @Option(names = "--output", paramLabel = "FILE", description = "where to write (default RUN_DIR/model.onnx)")
    Path output;

    @Option(names = "--samples", defaultValue = "256", description = "test inputs compared (default ${DEFAULT-VALUE}; a graph model compares all its nodes, a GAN rows of its fixed noise)")
    int samples;

    @Option(names = "--rtol", defaultValue = "1e-4", description = "relative tolerance of the parity check (default ${DEFAULT-VALUE})")
    double rtol;

    @Option(names = "--atol", defaultValue = "1e-5", description = "absolute tolerance of the parity check (default ${DEFAULT-VALUE})")
    double atol;

    @Override
    public Integer call() {
        if (!"onnx".equals(format)) {
            throw new IllegalArgumentException("--format: only onnx is supported, got " + format);
        }
        Workbench.Export export = Workbench.standard(System.out).export(run, opset, output, samples, rtol, atol);
        System.out.printf(Locale.ROOT, "wrote %s (opset %d)%nparity on %d test inputs: max abs diff %.3g, max rel diff %.3g: passed (rtol %.0e, atol %.0e)%n",
                export.file(), export.opset(), export.parity().samples(), export.parity().maxAbsDiff(), export.parity().maxRelDiff(), rtol, atol);
        return 0;
    }
}
