package dev.workbench.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where committed datasets live: {@code $WORKBENCH_DATASETS}, else {@code <workbench.root>/datasets}
 * (the launcher and the test runner set {@code workbench.root}), else {@code ./datasets}.
 */
public record DataLocations(Path datasets) {
    public static DataLocations fromEnvironment() {
        String env = System.getenv("WORKBENCH_DATASETS");
        if (env != null && !env.isBlank()) {
            return new DataLocations(Path.of(env));
        }
        String root = System.getProperty("workbench.root");
        Path base = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        return new DataLocations(base.resolve("datasets"));
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

    public boolean isPresent(DatasetInfo info) {
        return Files.isRegularFile(folder(info).resolve(Sha256Sums.FILE_NAME));
    }
}
