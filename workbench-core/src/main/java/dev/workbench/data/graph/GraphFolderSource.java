package dev.workbench.data.graph;

import dev.workbench.data.DataFileException;
import dev.workbench.data.DataLocations;
import dev.workbench.data.DataSplits;
import dev.workbench.data.DatasetInfo;
import dev.workbench.data.DatasetSource;
import dev.workbench.data.InputShape;
import dev.workbench.job.DatasetSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A graph for node classification from a folder with {@code nodes.csv} ({@code node,label,split,feature_indices}:
 * split {@code train}, {@code val}, {@code test} or {@code none}; the space-separated indices of the node's
 * 1-valued binary features) and {@code edges.csv} ({@code source,target} node ids). Features are row-normalised
 * (each node's sum to 1), as Kipf and Welling preprocess Cora. Every split holds all nodes (message passing needs
 * the whole graph); the labels mask marks the split's own: for the training split with weight N / (training
 * nodes), so that DL4J's mean over all rows is the mean loss over the training nodes.
 */
public final class GraphFolderSource implements DatasetSource {
    static final String NODES = "nodes.csv";
    static final String EDGES = "edges.csv";

    private final DatasetInfo info;

    public GraphFolderSource(DatasetInfo info) {
        this.info = info;
    }

    @Override
    public DatasetInfo info() {
        return info;
    }

    @Override
    public boolean isGraph() {
        return true;
    }

    @Override
    public DataSplits load(DatasetSpec spec, long seed, DataLocations locations) {
        return read(locations.verifiedFolder(info), info);
    }

    /** Reads a graph folder; {@code info} names the dataset (its shape and classes come from the files). */
    public static DataSplits read(Path folder, DatasetInfo info) {
        Path nodesFile = folder.resolve(NODES);
        List<String[]> rows = csv(nodesFile, 4);
        Map<String, Integer> index = new HashMap<>();
        TreeSet<Integer> labelValues = new TreeSet<>();
        int features = 0;
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            if (index.put(row[0], r) != null) {
                throw bad(nodesFile, r + 2, "node", "node id '" + row[0] + "' appears twice");
            }
            labelValues.add(integer(nodesFile, r + 2, "label", row[1]));
            if (!List.of("train", "val", "test", "none").contains(row[2])) {
                throw bad(nodesFile, r + 2, "split", "expected train, val, test or none, got '" + row[2] + "'");
            }
            for (String f : row[3].isBlank() ? new String[0] : row[3].trim().split(" +")) {
                features = Math.max(features, integer(nodesFile, r + 2, "feature_indices", f) + 1);
            }
        }
        List<Integer> labels = List.copyOf(labelValues);
        int n = rows.size();
        INDArray x = Nd4j.zeros(DataType.FLOAT, n, features);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, labels.size());
        float[][] masks = new float[3][n];
        for (int r = 0; r < n; r++) {
            String[] row = rows.get(r);
            String[] active = row[3].isBlank() ? new String[0] : row[3].trim().split(" +");
            for (String f : active) {
                x.putScalar(r, Integer.parseInt(f), 1.0f / active.length);
            }
            y.putScalar(r, labels.indexOf(Integer.parseInt(row[1])), 1.0f);
            int split = List.of("train", "val", "test").indexOf(row[2]);
            if (split >= 0) {
                masks[split][r] = 1f;
            }
        }
        Path edgesFile = folder.resolve(EDGES);
        List<String[]> edgeRows = csv(edgesFile, 2);
        int[] sources = new int[edgeRows.size()];
        int[] targets = new int[edgeRows.size()];
        for (int e = 0; e < edgeRows.size(); e++) {
            sources[e] = node(edgesFile, e + 2, "source", edgeRows.get(e)[0], index);
            targets[e] = node(edgesFile, e + 2, "target", edgeRows.get(e)[1], index);
        }
        int trainNodes = count(masks[0], nodesFile, "train");
        count(masks[1], nodesFile, "val");
        count(masks[2], nodesFile, "test");
        for (int r = 0; r < n; r++) {
            masks[0][r] *= (float) n / trainNodes;
        }
        DatasetInfo actual = new DatasetInfo(info.name(), info.description(), n, info.task(),
                InputShape.tabular(features), labels.stream().map(String::valueOf).toList(), List.of(), true, 0,
                info.source(), info.license(), info.folder());
        return new DataSplits(actual, split(x, y, masks[0]), split(x, y, masks[1]), split(x, y, masks[2]), null,
                new NodeGraph(n, sources, targets));
    }

    private static DataSet split(INDArray x, INDArray y, float[] mask) {
        return new DataSet(x, y, null, Nd4j.createFromArray(mask).reshape(mask.length, 1));
    }

    private static int count(float[] mask, Path file, String split) {
        int count = 0;
        for (float m : mask) {
            count += m > 0 ? 1 : 0;
        }
        if (count == 0) {
            throw new DataFileException(file, "no node in split '" + split + "'", "Mark some nodes " + split);
        }
        return count;
    }

    private static List<String[]> csv(Path file, int fields) {
        if (!Files.isRegularFile(file)) {
            throw new DataFileException(file, "missing", "A graph folder holds " + NODES + " and " + EDGES);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] row = lines.get(i).split(",", -1);
            if (row.length != fields) {
                throw bad(file, i + 1, "row", "expected " + fields + " comma-separated fields, got " + row.length);
            }
            rows.add(row);
        }
        return rows;
    }

    private static int integer(Path file, int line, String field, String text) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value < 0) {
                throw bad(file, line, field, "must be >= 0, got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw bad(file, line, field, "expected an integer, got '" + text + "'");
        }
    }

    private static int node(Path file, int line, String field, String id, Map<String, Integer> index) {
        Integer node = index.get(id.trim());
        if (node == null) {
            throw bad(file, line, field, "node '" + id + "' is not in " + NODES);
        }
        return node;
    }

    private static DataFileException bad(Path file, int line, String field, String problem) {
        return new DataFileException(file, "line " + line + ", field " + field + ": " + problem,
                "Fix the file (the graph format is in README.md, Datasets)");
    }
}
