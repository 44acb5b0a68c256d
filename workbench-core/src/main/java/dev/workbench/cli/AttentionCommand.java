package dev.workbench.cli;

import dev.workbench.Workbench;
import dev.workbench.models.gnn.NodeAttention;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "attention", mixinStandardHelpOptions = true,
        description = {"Attention weights of a finished run:",
                "  --text: a transformer's every layer and head over a sentence or text, as heatmaps (PNG, numbers in JSON beside);",
                "  --node: a graph attention (GAT) network's over one node's neighbourhood, per head, printed."})
final class AttentionCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a finished transformer or gnn/gat run folder")
    Path run;

    /** One of the two: what a transformer reads, or which node of a graph. */
    static final class Subject {
        @Option(names = "--text", required = true, description = "the text a transformer reads (words of a review, or characters)")
        String text;

        @Option(names = "--node", required = true, description = "the node of a GAT run (its row in nodes.csv, from 0)")
        Integer node;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Subject subject;

    @Option(names = "--layer", defaultValue = "0", description = "with --node: the attention layer, from 0 (default: ${DEFAULT-VALUE})")
    int layer;

    @Option(names = "--output", description = "with --text: the PNG to write (default: RUN_DIR/attention.png)")
    Path output;

    @Override
    public Integer call() {
        Workbench workbench = Workbench.standard(System.err);
        if (subject.text != null) {
            Workbench.TextAttention attention = workbench.attention(run, subject.text, output);
            System.out.println(attention.attention().weights().length + " layers x "
                    + attention.attention().weights()[0].length + " heads over " + attention.attention().tokens().size()
                    + " steps: " + attention.file());
            return 0;
        }
        printNode(workbench.attention(run, subject.node, layer));
        return 0;
    }

    private static void printNode(NodeAttention attention) {
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
    }
}
