package dev.workbench.cli;

import dev.workbench.Workbench;
import dev.workbench.models.gnn.NodeAttention;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "attention", mixinStandardHelpOptions = true,
        description = "Attention weights of one node's neighbourhood in a finished graph attention (GAT) run.")
final class AttentionCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a finished gnn/gat run folder")
    Path run;

    @Option(names = "--node", required = true, description = "the node (its row in nodes.csv, from 0)")
    int node;

    @Option(names = "--layer", defaultValue = "0", description = "the attention layer, from 0 (default: ${DEFAULT-VALUE})")
    int layer;

    @Override
    public Integer call() {
        NodeAttention attention = Workbench.standard(System.err).attention(run, node, layer);
        StringBuilder header = new StringBuilder(String.format("%-10s", "neighbour"));
        for (int h = 0; h < attention.weights().length; h++) {
            header.append(String.format(" %8s", "head" + h));
        }
        System.out.println("node " + attention.node() + ", layer " + attention.layer() + ": "
                + attention.neighbours().length + " neighbours (itself included)");
        System.out.println(header.append(String.format(" %8s", "mean")));
        for (int k = 0; k < attention.neighbours().length; k++) {
            StringBuilder row = new StringBuilder(String.format("%-10d", attention.neighbours()[k]));
            double sum = 0;
            for (double[] head : attention.weights()) {
                row.append(String.format(" %8.4f", head[k]));
                sum += head[k];
            }
            System.out.println(row.append(String.format(" %8.4f", sum / attention.weights().length)));
        }
        return 0;
    }
}
