package dev.workbench.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where data lives. Committed datasets: {@code $WORKBENCH_DATASETS}, else {@code <workbench.root>/datasets}
 * (the launcher and the test runner set {@code workbench.root}), else {@code ./datasets}. Shared datasets the
 * project reads but never copies (Tiny Shakespeare, review sentences): {@code $WORKBENCH_SHARED_DATASETS}, else
 * {@code <workbench.root>/../shared/datasets}; their checksums are committed in {@code datasets/external/}.
 */
public record DataLocations(Path datasets, Path shared) {
    public DataLocations(Path datasets) {
        this(datasets, datasets.toAbsolutePath().getParent().resolve("../shared/datasets").normalize());
    }

    public static DataLocations fromEnvironment() {
        String root = System.getProperty("workbench.root");
        Path base = root != null ? Path.of(root).toAbsolutePath() : Path.of("").toAbsolutePath();
        Path datasets = pathFromEnv("WORKBENCH_DATASETS", base.resolve("datasets"));
        Path shared = pathFromEnv("WORKBENCH_SHARED_DATASETS", base.resolve("../shared/datasets").normalize());
        return new DataLocations(datasets, shared);
    }

    private static Path pathFromEnv(String variable, Path fallback) {
        String value = System.getenv(variable);
        return value != null && !value.isBlank() ? Path.of(value) : fallback;
    }

    public Path folder(DatasetInfo info) {
        return info.folder().startsWith(EXTERNAL) ? shared.resolve(info.folder().substring(EXTERNAL.length()))
                : datasets.resolve(info.folder());
    }

    /** Prefix of {@link DatasetInfo#folder()} for a shared dataset: {@code shared:tinyshakespeare}. */
    public static final String EXTERNAL = "shared:";

    /** The dataset's folder after checking every file against its SHA256SUMS. */
    public Path verifiedFolder(DatasetInfo info) {
        Path folder = folder(info);
        if (info.folder().startsWith(EXTERNAL)) {
            String name = info.folder().substring(EXTERNAL.length());
            Sha256Sums.verify(checksums(name), folder, "It is read from the shared data folder (" + shared
                    + "; set WORKBENCH_SHARED_DATASETS to move it) and must match datasets/external/" + name + ".SHA256SUMS");
        } else {
            Sha256Sums.verify(folder);
        }
        return folder;
    }

    private Path checksums(String name) {
        return datasets.resolve("external").resolve(name + ".SHA256SUMS");
    }

    public boolean isPresent(DatasetInfo info) {
        if (info.folder().startsWith(EXTERNAL)) {
            return Files.isDirectory(folder(info)) && Files.isRegularFile(checksums(info.folder().substring(EXTERNAL.length())));
        }
        return Files.isRegularFile(folder(info).resolve(Sha256Sums.FILE_NAME));
    }
}
