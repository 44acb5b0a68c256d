package dev.workbench.cli;

import dev.workbench.data.DataFileException;
import dev.workbench.job.JobFileException;
import dev.workbench.onnx.OnnxParityException;
import dev.workbench.onnx.UnsupportedLayerException;
import dev.workbench.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code workbench}: the command-line entry point. */
@Command(name = "workbench", mixinStandardHelpOptions = true, version = "workbench 0.1.0 (DL4J 1.0.0-M2.1)",
        description = "Train, evaluate and compare deep-learning models from job files.",
        subcommands = {TrainCommand.class, EvalCommand.class, GenerateCommand.class, ExportCommand.class, PredictCommand.class, ServeCommand.class, ModelsCommand.class, DatasetsCommand.class,
                CommandLine.HelpCommand.class})
public final class WorkbenchCommand implements Runnable {
    /** Exit code of a job file or argument that cannot be used. */
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

    /** The configured command line: bad input prints one clear message instead of a stack trace. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new WorkbenchCommand());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("error: " + e.getMessage());
            if (e instanceof OnnxParityException) {
                return PARITY_FAILED;
            }
            if (e instanceof UnsupportedLayerException) {
                return BAD_INPUT;
            }
            if (e instanceof TrainingDivergedException) {
                return DIVERGED;
            }
            if (e instanceof JobFileException || e instanceof DataFileException || e instanceof IllegalArgumentException) {
                return BAD_INPUT;
            }
            e.printStackTrace(line.getErr());
            return 1;
        });
        return cli;
    }
}
