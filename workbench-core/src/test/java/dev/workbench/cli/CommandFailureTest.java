package dev.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.job.JobFileException;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one line and exit code of a failed command, from the exceptions the commands meet. */
class CommandFailureTest {
    @Test
    void aFileSystemCauseGivesItsReasonInTheLineAndIsBadInput() {
        CommandFailure failure = CommandFailure.of(new UncheckedIOException("cannot create a run folder in /data/runs",
                new FileSystemException("/data/runs", null, "Not a directory")));
        assertEquals("cannot create a run folder in /data/runs: Not a directory", failure.line());
        assertEquals(WorkbenchCommand.BAD_INPUT, failure.exitCode());
    }

    @Test
    void permissionDeniedIsSaidThoughTheJdkLeavesItOut() {
        CommandFailure failure = CommandFailure.of(new UncheckedIOException("cannot create a run folder in /data/runs",
                new AccessDeniedException("/data/runs/iris-20250101-120000")));
        assertEquals("cannot create a run folder in /data/runs: /data/runs/iris-20250101-120000: Permission denied",
                failure.line());
        assertEquals(WorkbenchCommand.BAD_INPUT, failure.exitCode());
    }

    @Test
    void aWrapperWithoutAMessageOfItsOwnSaysItsCause() {
        CommandFailure failure = CommandFailure.of(new UncheckedIOException(new AccessDeniedException("/data/runs")));
        assertEquals(new CommandFailure("/data/runs: Permission denied", WorkbenchCommand.BAD_INPUT), failure);
    }

    @Test
    void aFullDiskIsNotTheUsersInputButStillOneLine() {
        CommandFailure failure = CommandFailure.of(new UncheckedIOException("cannot write /data/runs/x/metrics.csv",
                new IOException("No space left on device")));
        assertEquals(new CommandFailure("cannot write /data/runs/x/metrics.csv: No space left on device", 1), failure);
    }

    @Test
    void aTruncatedFileSaysSoInsteadOfTheExceptionName() {
        CommandFailure failure = CommandFailure.of(new UncheckedIOException("cannot read /r/checkpoints/state.json",
                new EOFException()));
        assertEquals("cannot read /r/checkpoints/state.json: the file ends early (truncated?)", failure.line());
    }

    @Test
    void badInputKeepsItsWholeMessage() {
        JobFileException e = new JobFileException("job.yaml", List.of("training.epochs: must be >= 1, got 0",
                "training.optimizer.lr: must be > 0, got -0.1"));
        assertEquals(new CommandFailure(e.getMessage(), WorkbenchCommand.BAD_INPUT), CommandFailure.of(e));
    }

    @Test
    void anUnexpectedFailureSaysHowToSeeWhere() {
        CommandFailure failure = CommandFailure.of(new IllegalStateException("no layer 7", new NullPointerException()));
        assertEquals(1, failure.exitCode());
        assertTrue(failure.line().startsWith("no layer 7: NullPointerException ("), failure.line());
        assertTrue(failure.line().contains(CommandFailure.DEBUG_VARIABLE + "=1"), failure.line());
    }
}
