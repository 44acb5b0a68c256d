package dev.workbench.cli;

import dev.workbench.data.DataFileException;
import dev.workbench.job.JobFileException;
import dev.workbench.onnx.OnnxParityException;
import dev.workbench.onnx.UnsupportedLayerException;
import dev.workbench.train.DamagedFileException;
import dev.workbench.train.TrainingDivergedException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a failed command tells the user: one line and an exit code, never a stack trace. The line is the exception's
 * message followed by each cause's reason that it does not already say, so "cannot create a run folder in runs" goes
 * on with ": Not a directory" instead of hiding it in a "Caused by".
 *
 * @param line     the message, without the "error: " the CLI prints before it
 * @param exitCode {@link WorkbenchCommand#BAD_INPUT} for anything the user can fix in the job file, the arguments or
 *                 the paths they name; 1 for the rest
 */
record CommandFailure(String line, int exitCode) {
    /** Set (to anything) to print the stack trace of a failure that is not the user's input. */
    static final String DEBUG_VARIABLE = "WORKBENCH_DEBUG";

    static CommandFailure of(Throwable e) {
        List<Throwable> chain = chain(e);
        int code = exitCode(e, chain);
        String line = describe(chain);
        boolean environment = chain.stream().anyMatch(IOException.class::isInstance);
        if (code == 1 && !environment) {
            line += " (" + DEBUG_VARIABLE + "=1 shows where)";
        }
        return new CommandFailure(line, code);
    }

    private static int exitCode(Throwable e, List<Throwable> chain) {
        if (e instanceof OnnxParityException) {
            return WorkbenchCommand.PARITY_FAILED;
        }
        if (e instanceof TrainingDivergedException) {
            return WorkbenchCommand.DIVERGED;
        }
        if (e instanceof JobFileException || e instanceof DataFileException || e instanceof UnsupportedLayerException
                || e instanceof IllegalArgumentException) {
            return WorkbenchCommand.BAD_INPUT;
        }
        // A path that cannot be written or read (under a regular file, read-only, missing) is the user's to change.
        if (chain.stream().anyMatch(FileSystemException.class::isInstance)) {
            return WorkbenchCommand.BAD_INPUT;
        }
        return 1;
    }

    private static List<Throwable> chain(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static String describe(List<Throwable> chain) {
        StringBuilder line = new StringBuilder();
        for (Throwable t : chain) {
            String said = said(t, line.toString());
            if (!said.isEmpty() && !line.toString().contains(said)) {
                line.append(line.isEmpty() ? "" : ": ").append(said);
            }
            if (t instanceof DamagedFileException) {
                break;  // it has said what the damage is; its causes are the library's words for the same
            }
        }
        return line.isEmpty() ? chain.get(0).getClass().getSimpleName() : line.toString();
    }

    /** What {@code t} adds: its message's first line, or for a file-system error the path (unless said) and reason. */
    private static String said(Throwable t, String soFar) {
        if (t instanceof FileSystemException f) {
            String path = f.getFile() == null ? ""
                    : f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
            return path.isEmpty() || soFar.contains(path) ? reason(f) : path + ": " + reason(f);
        }
        String message = t.getMessage();
        // A wrapper made without a message of its own repeats its cause's toString(): say the cause instead.
        if (message == null || message.isBlank() || (t.getCause() != null && message.equals(t.getCause().toString()))) {
            return t instanceof EOFException ? "the file ends early (truncated?)" : t.getCause() == null
                    ? t.getClass().getSimpleName() : "";
        }
        return soFar.isEmpty() ? message : message.lines().findFirst().orElse("").strip();
    }

    /** The operating system's words for a file-system error; the JDK leaves them out of the common ones. */
    private static String reason(FileSystemException e) {
        if (e.getReason() != null) {
            return e.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        return e.getClass().getSimpleName();
    }
}
