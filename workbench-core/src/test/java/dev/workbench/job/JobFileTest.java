package dev.workbench.job;

import dev.workbench.JobValidator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.data.DatasetRegistry;
import dev.workbench.models.ModelRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobFileTest {
    private static final String VALID = """
            name: iris-test
            seed: 3
            dataset: {name: iris, batch_size: 16}
            model: {family: dense, architecture: mlp, hyperparameters: {hidden: [8]}}
            training:
              epochs: 4
              optimizer: {type: adam, lr: 0.01}
            """;

    private static JobSpec parseAndValidate(String yaml, String... overrides) {
        JobSpec job = JobFile.parse(yaml, "job.yaml", List.of(overrides));
        return new JobValidator(DatasetRegistry.builtIn(), ModelRegistry.builtIn()).validate(job, "job.yaml");
    }

    /** Every problem of a job that reads but does not validate, as the user sees them (without the file name). */
    private static List<String> problems(String yaml, String... overrides) {
        JobValidator validator = new JobValidator(DatasetRegistry.builtIn(), ModelRegistry.builtIn());
        return assertThrows(JobFileException.class,
                () -> validator.validate(JobFile.bind(yaml, "job.yaml", List.of(overrides)), "job.yaml")).problems();
    }

    private static String problem(String yaml, String... overrides) {
        JobFileException e = assertThrows(JobFileException.class, () -> parseAndValidate(yaml, overrides));
        return e.getMessage();
    }

    @Test
    void validJobBindsWithDefaultsFilledIn() {
        JobSpec job = parseAndValidate(VALID);
        assertEquals("iris-test", job.name());
        assertEquals(16, job.dataset().batchSize());
        assertEquals(List.of(8), job.model().hyperparameters().get("hidden"));
        assertEquals(0.01, job.training().optimizer().lr());
        assertEquals("constant", job.training().schedule().type());
        assertEquals("standardize", job.dataset().normalization());
        assertEquals("runs", job.output());
    }

    @Test
    void misspeltKeyNamesItsPathAndSuggestsTheClosest() {
        String message = problem(VALID.replace("lr: 0.01", "lrr: 0.01"));
        assertTrue(message.contains("job.yaml: training.optimizer.lrr: unknown key (did you mean 'lr'?)"), message);
    }

    @Test
    void misspeltTopLevelKeyIsSuggested() {
        String message = problem(VALID.replace("training:", "trainig:"));
        assertTrue(message.contains("trainig: unknown key (did you mean 'training'?)"), message);
    }

    @Test
    void wrongTypeNamesThePathAndTheExpectedType() {
        String message = problem(VALID.replace("epochs: 4", "epochs: four"));
        assertTrue(message.contains("training.epochs: expected a whole number, got 'four'"), message);
    }

    @Test
    void outOfRangeValueNamesThePathAndTheValue() {
        String message = problem(VALID.replace("lr: 0.01", "lr: -0.1"));
        assertTrue(message.contains("job.yaml: training.optimizer.lr: must be > 0, got -0.1"), message);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        JobFileException e = assertThrows(JobFileException.class,
                () -> parseAndValidate(VALID.replace("lr: 0.01", "lr: 0").replace("batch_size: 16", "batch_size: 0")));
        assertEquals(2, e.problems().size(), e.problems().toString());
    }

    @Test
    void unknownDatasetAndOptimizerGetSuggestions() {
        String message = problem(VALID.replace("name: iris,", "name: irsi,").replace("type: adam", "type: adma"));
        assertTrue(message.contains("dataset.name: unknown dataset 'irsi' (did you mean 'iris'?)"), message);
        assertTrue(message.contains("training.optimizer.type: unknown 'adma' (did you mean 'adam'?)"), message);
    }

    @Test
    void hyperparametersAreCheckedAgainstTheArchitecture() {
        String message = problem(VALID.replace("hidden: [8]", "hiden: [8], dropout: 1.5"));
        assertTrue(message.contains("model.hyperparameters.hiden: unknown hyperparameter (did you mean 'hidden'?)"), message);
        assertTrue(message.contains("model.hyperparameters.dropout: must be in [0, 0.9], got 1.5"), message);
    }

    @Test
    void architectureThatCannotTakeTheDataIsRejected() {
        String message = problem(VALID.replace("family: dense, architecture: mlp, hyperparameters: {hidden: [8]}",
                "family: cnn, architecture: lenet5"));
        assertTrue(message.contains("model.architecture: lenet5 needs image input"), message);
    }

    @Test
    void aGraphDatasetAndAGraphModelOnlyPairWithEachOther() {
        String message = problem(VALID.replace("name: iris, batch_size: 16", "name: cora, batch_size: 2708"));
        assertTrue(message.contains("model.family: dataset.name cora is a graph (its rows are nodes joined by edges), "
                + "which dense/mlp cannot read; use one of gnn/"), message);
        message = problem(VALID.replace("family: dense, architecture: mlp, hyperparameters: {hidden: [8]}",
                "family: gnn, architecture: gcn"));
        assertTrue(message.contains("dataset.name: model.family gnn classifies the nodes of a graph; iris is not one "
                + "(a graph is a folder with nodes.csv and edges.csv); graph datasets: cora"), message);
        assertEquals("gcn", parseAndValidate(VALID.replace("name: iris, batch_size: 16", "name: cora, batch_size: 2708")
                .replace("family: dense, architecture: mlp, hyperparameters: {hidden: [8]}", "family: gnn, architecture: gcn"))
                .model().architecture());
    }

    @Test
    void earlyStoppingMetricMustSuitTheTask() {
        String message = problem(VALID + "  early_stopping: {metric: val_mae}\n");
        assertTrue(message.contains("training.early_stopping.metric: unknown 'val_mae'"), message);
    }

    @Test
    void autoencodersMonitorReconstructionMetricsAndTrainClassesAreChecked() {
        String autoencoder = VALID.replace("family: dense, architecture: mlp, hyperparameters: {hidden: [8]}",
                "family: autoencoder, architecture: dense");
        assertEquals("val_mse", parseAndValidate(autoencoder + "  early_stopping: {metric: val_mse}\n")
                .training().earlyStopping().metric());
        String message = problem(autoencoder.replace("batch_size: 16}", "batch_size: 16, train_classes: [0, 3]}")
                + "  early_stopping: {metric: val_accuracy}\n");
        assertTrue(message.contains("dataset.train_classes[1]: must be a class index of iris in [0, 2], got 3"), message);
        assertTrue(message.contains("training.early_stopping.metric: unknown 'val_accuracy'"), message);
    }

    @Test
    void setOverridesFieldsWithYamlValues() {
        JobSpec job = parseAndValidate(VALID, "training.epochs=9", "model.hyperparameters.hidden=[16, 4]",
                "training.early_stopping.patience=2");
        assertEquals(9, job.training().epochs());
        assertEquals(List.of(16, 4), job.model().hyperparameters().get("hidden"));
        assertEquals(2, job.training().earlyStopping().patience());
        assertEquals("val_loss", job.training().earlyStopping().metric());
    }

    @Test
    void setOnAMisspeltPathIsAnErrorLikeInTheFile() {
        String message = problem(VALID, "training.epoch=9");
        assertTrue(message.contains("training.epoch: unknown key (did you mean 'epochs'?)"), message);
    }

    @Test
    void emptyAndMalformedFilesAreClearErrors() {
        assertTrue(problem("").contains("job.yaml: the job file is empty"));
        assertTrue(problem("name: [unclosed").contains("job.yaml: not valid YAML"));
    }

    @Test
    void everyProblemIsOneLineWhateverTheFileHolds() {
        // SnakeYAML's own message spans six lines with an excerpt, and Jackson's location is where the key began.
        assertEquals("job.yaml: not valid YAML: could not find expected ':' (line 3, column 1)", problem("name: x\nfoo\nbar: 1\n"));
        assertEquals(List.of("name: required, letters, digits, '.', '_' or '-' (it names the run folder), got 'two\\nlines'"),
                problems(VALID.replace("name: iris-test", "name: \"two\\nlines\"")));
    }

    @Test
    void resolvedYamlReadsBackToTheSameJob() {
        JobSpec job = parseAndValidate(VALID, "training.schedule.type=cosine");
        JobSpec again = parseAndValidate(JobFile.toYaml(job));
        assertEquals(job, again);
        assertEquals(Map.of("hidden", List.of(8)), again.model().hyperparameters());
    }

    @Test
    void keyTypeAndRangeErrorsAreListedTogether() {
        String yaml = VALID.replace("epochs: 4", "epochs: four\n  epoch: 3")
                .replace("lr: 0.01", "lr: -0.1, lrr: 2")
                .replace("batch_size: 16", "batch_size: 0");
        assertEquals(List.of(
                "training.epochs: expected a whole number, got 'four'",
                "training.epoch: unknown key (did you mean 'epochs'?); allowed here: checkpoint_every, early_stopping,"
                        + " epochs, gradient_clipping, optimizer, schedule",
                "training.optimizer.lrr: unknown key (did you mean 'lr'?); allowed here: lr, momentum, type, weight_decay",
                "dataset.batch_size: must be >= 1, got 0",
                "training.optimizer.lr: must be > 0, got -0.1"), problems(yaml));
    }

    @Test
    void aFieldOfTheWrongTypeIsNotReportedAgainAsMissing() {
        assertEquals(List.of("name: expected a string, got a list", "dataset: expected a mapping of keys, got 5"),
                problems(VALID.replace("name: iris-test", "name: [iris-test]")
                        .replace("dataset: {name: iris, batch_size: 16}", "dataset: 5")));
    }

    @Test
    void everyElementOfAListAndEveryOutOfRangeWholeNumberIsNamed() {
        assertEquals(List.of(
                "dataset.batch_size: must be at most 2147483647, got 99999999999",
                "dataset.drop_columns[1]: expected a string, got nothing",
                "dataset.train_classes[1]: expected a whole number, got 'a'",
                "dataset.train_classes[2]: expected a whole number, got 2.5"),
                problems(VALID.replace("batch_size: 16", "batch_size: 99999999999, drop_columns: [f1, ~], train_classes: [0, a, 2.5]")));
    }

    @Test
    void boundsFromAnotherFieldAreCheckedOnlyWhereThatFieldIsValid() {
        assertEquals(List.of("training.epochs: must be >= 1, got 0", "training.optimizer.lr: must be > 0, got -0.1"),
                problems(VALID.replace("epochs: 4", "epochs: 0").replace("lr: 0.01", "lr: -0.1")));
    }

    @Test
    void duplicateKeysAreRejectedWithTheirLines() {
        assertEquals(List.of(
                "training.optimizer.lr: duplicate key at line 7 (first at line 7); give each key once",
                "training.epochs: duplicate key at line 8 (first at line 6); give each key once",
                "name: duplicate key at line 9 (first at line 1); give each key once"),
                problems(VALID.replace("lr: 0.01}", "lr: 0.01, lr: 0.1}") + "  epochs: 5\nname: other\n"));
    }

    @Test
    void aBinaryFileIsNamedAsNotAYamlTextFile(@TempDir Path dir) throws Exception {
        Path png = Files.write(dir.resolve("job.yaml"), new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0});
        JobFileException e = assertThrows(JobFileException.class, () -> JobFile.load(png, List.of()));
        assertEquals(png + ": not a UTF-8 YAML text file (byte 0x89 at offset 0); a job file is YAML text", e.getMessage());

        Path latin1 = Files.write(dir.resolve("latin1.yaml"), "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        e = assertThrows(JobFileException.class, () -> JobFile.load(latin1, List.of()));
        assertEquals(latin1 + ": not a UTF-8 YAML text file (byte 0xe9 at offset 9); a job file is YAML text", e.getMessage());

        Path nul = Files.write(dir.resolve("nul.yaml"), "name: x\n\0\0".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(JobFileException.class, () -> JobFile.load(nul, List.of()));
        assertEquals(nul + ": not a UTF-8 YAML text file (byte 0x00 at offset 8); a job file is YAML text", e.getMessage());
    }

    @Test
    void utf8TextReadsAsText(@TempDir Path dir) throws Exception {
        Path job = Files.writeString(dir.resolve("job.yaml"), VALID.replace("iris-test", "iris-t\u00e9st"));
        assertEquals("iris-t\u00e9st", JobFile.load(job, List.of()).name());
    }

    @Test
    void anEmptySetValueIsAnErrorNamingTheKey() {
        assertEquals(List.of(
                "--set training.epochs=: the value is empty; give one (null takes the default)",
                "--set output=: the value is empty; give one (null takes the default)"),
                problems(VALID, "training.epochs=", "output= "));
    }

    @Test
    void setNullTakesTheDefaultOnPurpose() {
        JobSpec job = parseAndValidate(VALID + "output: elsewhere\n", "training.epochs=null", "output=~");
        assertEquals(10, job.training().epochs());
        assertEquals("runs", job.output());
    }

    @Test
    void malformedSetsAreListedWithTheOtherProblems() {
        assertEquals(List.of(
                "--set epochs: expected key.path=value",
                "--set training..epochs=3: expected key.path=value",
                "--set name.first=x: 'name' is not a mapping",
                "training.optimizer.lr: must be > 0, got 0.0"),
                problems(VALID.replace("lr: 0.01", "lr: 0"), "epochs", "training..epochs=3", "name.first=x"));
    }

    @Test
    void infinityAndNotANumberMustBeFiniteNumbers() {
        assertEquals(List.of(
                "seed: must be a finite number, got .nan",
                "model.hyperparameters.dropout: must be a finite number, got -.Inf",
                "training.optimizer.lr: must be a finite number, got .inf",
                "training.optimizer.momentum: must be a finite number, got 1e400",
                "training.optimizer.weight_decay: must be a finite number, got 'NaN'"),
                problems(VALID.replace("seed: 3", "seed: .nan")
                        .replace("hidden: [8]", "hidden: [8], dropout: -.Inf")
                        .replace("lr: 0.01", "lr: .inf, momentum: 1e400, weight_decay: 'NaN'")));
        assertEquals(List.of("training.optimizer.lr: must be a finite number, got .inf"),
                problems(VALID, "training.optimizer.lr=.inf"));
    }

    @Test
    void aliasesAndASecondDocumentAreRejected() {
        assertEquals(List.of("training.checkpoint_every: YAML aliases (*four) are not supported; write the value out"),
                problems(VALID.replace("epochs: 4", "epochs: &four 4\n  checkpoint_every: *four")));
        assertEquals(List.of("a second YAML document starts at line 9 (after '---'); a job file holds one job"),
                problems(VALID + "---\nname: other\n"));
    }

    @Test
    void hyperparametersKeepTheJobFilesOrder() throws Exception {
        // Two orders of the same four: a map that imposes its own order cannot list both as written.
        String forward = "hidden: [8], activation: tanh, dropout: 0.1, batch_norm: true";
        String backward = "batch_norm: true, dropout: 0.1, activation: tanh, hidden: [8]";
        for (String order : List.of(forward, backward)) {
            JobSpec job = parseAndValidate(VALID.replace("hidden: [8]", order));
            assertEquals(List.of(order.replaceAll(": [^,]+(, |$)", " ").trim().split(" ")),
                    List.copyOf(job.model().hyperparameters().keySet()), order);
            String yaml = JobFile.toYaml(job);
            List<String> written = new ArrayList<>();
            new ObjectMapper(new YAMLFactory()).readTree(yaml).get("model").get("hyperparameters").fieldNames()
                    .forEachRemaining(written::add);
            assertEquals(List.copyOf(job.model().hyperparameters().keySet()), written, yaml);
            assertEquals(job, parseAndValidate(yaml));
        }
        // An override of a key keeps its place; a new key comes last.
        assertEquals(List.of("hidden", "activation"), List.copyOf(parseAndValidate(
                VALID.replace("hidden: [8]", "hidden: [8], activation: tanh"), "model.hyperparameters.hidden=[4]",
                "model.hyperparameters.activation=relu").model().hyperparameters().keySet()));
        assertEquals(List.of("hidden", "dropout"), List.copyOf(parseAndValidate(VALID, "model.hyperparameters.dropout=0.2")
                .model().hyperparameters().keySet()));
    }
}
