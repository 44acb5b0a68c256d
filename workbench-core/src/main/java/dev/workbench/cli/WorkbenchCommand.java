package dev.workbench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code workbench}: the command-line entry point. */
@Command(name = "workbench", mixinStandardHelpOptions = true, version = "workbench 0.1.0 (DL4J 1.0.0-M2.1)",
        description = "Train, evaluate and compare deep-learning models from job files.",
        subcommands = {TrainCommand.class, TuneCommand.class, CompareCommand.class, EvalCommand.class, GenerateCommand.class, AttentionCommand.class, ExportCommand.class, PredictCommand.class, ServeCommand.class, ModelsCommand.class, DatasetsCommand.class,
                CommandLine.HelpCommand.class})
public final class WorkbenchCommand implements Runnable {
    /** Exit code of a job file, argument, input or path that cannot be used (the message says why). */
    public static final int BAD_INPUT = 2;
    /** Exit code of a run stopped by a NaN or infinite loss. */
    public static final int DIVERGED = 3;
    /** Exit code of an ONNX export whose outputs differ from DL4J's beyond tolerance. */
    public static final int PARITY_FAILED = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line: a failure prints one line, {@code error: <what, and why>}, and exits with
     * {@link #BAD_INPUT} when the user's input is at fault, never with a stack trace (see {@link CommandFailure}).
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new WorkbenchCommand());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            CommandFailure failure = CommandFailure.of(e);
            line.getErr().println("error: " + failure.line());
            if (System.getenv(CommandFailure.DEBUG_VARIABLE) != null) {
                e.printStackTrace(line.getErr());
            }
            return failure.exitCode();
        });
        return cli;
    }
}
