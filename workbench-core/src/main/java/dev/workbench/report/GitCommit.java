package dev.workbench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The commit a git checkout has checked out, read from its {@code .git} files (no git process): HEAD, then the
 * branch's ref file or packed-refs. A worktree's {@code .git} file points at its own git folder.
 */
final class GitCommit {
    private GitCommit() {
    }

    /** The commit of the checkout at {@code root}, or null when it is not a readable git checkout. */
    static String of(Path root) {
        try {
            Path git = root.resolve(".git");
            if (Files.isRegularFile(git)) {
                String pointer = Files.readString(git).trim();
                if (!pointer.startsWith("gitdir:")) {
                    return null;
                }
                git = root.resolve(pointer.substring("gitdir:".length()).trim());
            }
            if (!Files.isRegularFile(git.resolve("HEAD"))) {
                return null;
            }
            String head = Files.readString(git.resolve("HEAD")).trim();
            if (!head.startsWith("ref: ")) {
                return head;
            }
            String ref = head.substring("ref: ".length());
            Path common = commonDir(git);
            for (Path folder : new Path[]{git, common}) {
                if (Files.isRegularFile(folder.resolve(ref))) {
                    return Files.readString(folder.resolve(ref)).trim();
                }
            }
            Path packed = common.resolve("packed-refs");
            if (Files.isRegularFile(packed)) {
                for (String line : Files.readAllLines(packed)) {
                    if (line.endsWith(" " + ref)) {
                        return line.substring(0, line.indexOf(' '));
                    }
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Where a worktree's shared refs live ({@code commondir}), or the git folder itself. */
    private static Path commonDir(Path git) throws IOException {
        Path pointer = git.resolve("commondir");
        return Files.isRegularFile(pointer) ? git.resolve(Files.readString(pointer).trim()).normalize() : git;
    }
}
