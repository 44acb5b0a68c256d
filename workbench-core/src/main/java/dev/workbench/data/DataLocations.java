package dev.workbench.data;

import java.nio.file.Path;

/**
 * Where data lives: every dataset is a folder of {@code datasets/} (committed, or for the large ones filled by the
 * build from a registry package, see datasets/pom.xml), found at
 * {@code $WORKBENCH_DATASETS} (another copy of it), else {@code <workbench.root>/datasets} (the launcher and the test
 * runner set {@code workbench.root}), else {@code ./datasets}.
 */
public record DataLocations(Path datasets) {
    /** The variable that points the workbench at another copy of {@code datasets/}. */
    public static final String VARIABLE = "WORKBENCH_DATASETS";

    public static DataLocations fromEnvironment() {
        String root = System.getProperty("workbench.root");
        Path base = root != null ? Path.of(root).toAbsolutePath() : Path.of("").toAbsolutePath();
        String value = System.getenv(VARIABLE);
        return new DataLocations(value != null && !value.isBlank() ? Path.of(value) : base.resolve("datasets"));
    }

    public Path folder(DatasetInfo info) {
        return datasets.resolve(info.folder());
    }

    /** The dataset's folder after checking every file against its SHA256SUMS. */
    public Path verifiedFolder(DatasetInfo info) {
        Path folder = folder(info);
        Sha256Sums.verify(folder);
        return folder;
    }

    /** Whether the dataset's SHA256SUMS and every file it lists exist (for {@code workbench datasets}). */
    public boolean isPresent(DatasetInfo info) {
        return Sha256Sums.allPresent(folder(info));
    }
}
