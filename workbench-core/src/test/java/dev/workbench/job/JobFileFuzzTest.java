package dev.workbench.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workbench.JobValidator;
import dev.workbench.cli.WorkbenchCommand;
import dev.workbench.data.DatasetRegistry;
import dev.workbench.models.ModelRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every example job, damaged at random (seeded, so a failure names a case that can be replayed): dropped, doubled,
 * renamed and retyped keys, garbage lines, wrong indentation, truncation, binary bytes, bad {@code --set}s. Each case
 * must end in a validated job or in a {@link JobFileException} listing its problems, never in another exception; the
 * CLI turns the latter into exit 2 and one line per problem.
 */
class JobFileFuzzTest {
    private static final Path EXAMPLES = Path.of("../examples/jobs");
    private static final int CASES_PER_JOB = 30;
    private static final List<String> ODD_VALUES = List.of("[1, 2]", "{a: 1}", "abc", "-1", "0", "''", "~", ".inf",
            "-.inf", ".nan", "1e400", "99999999999999999999", "true", "\"3\"", "0x1F", "2.5", "*anchor", "&anchor 1",
            "!!binary aGk=", "!!str 5", "!!float 3", "[", "{", "\"unterminated", "- a", "|", ">", "? x", "caf\u00e9",
            "\u0000", "\t");
    private static final List<String> GARBAGE_LINES = List.of("- x", ":::", "  : 1", "[", "{", "---", "...", "---\nname: x",
            "just words", "\t", "%YAML 1.1", "? complex", "&a", "@", "`", "#", "  nested: {", "key: [unclosed",
            "<<: {epochs: 1}", "x: !!python/object:os.system ls", "\"a\": 1", "name: [", "a: &x 1\nb: *x");
    private static final List<String> ODD_SETS = List.of("training.epochs=", "output=", "training.epochs=2",
            "model.hyperparameters.dropout=.nan", "dataset=5", "x=1", "=", "training.optimizer.lr=[", "name.x=1",
            "training..epochs=1", "seed=1e400", "output=~");
    private static final String SPECIALS = " :[]{},-#&*!|>'\"%@`\t\n\\";

    private final JobValidator validator = new JobValidator(DatasetRegistry.builtIn(), ModelRegistry.builtIn());

    /** One damaged job: the file's bytes, the --set overrides and what was done, to replay a failure by hand. */
    private record Case(String name, byte[] bytes, List<String> overrides, List<String> damage) {
        Path write(Path dir) {
            try {
                return Files.write(dir.resolve(name + ".yaml"), bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What reading and validating a case gave: the job, or the problems listed. */
    private record Outcome(JobSpec job, JobFileException problems) {
    }

    @Test
    @Timeout(300) // a hang, not a speed: the few hundred cases take seconds
    void everyDamagedExampleEndsInAJobOrInListedProblems(@TempDir Path dir) {
        List<Case> cases = cases();
        List<String> failures = new ArrayList<>();
        int valid = 0;
        int invalid = 0;
        for (Case c : cases) {
            Path file = c.write(dir);
            try {
                Outcome outcome = readAndValidate(file, c.overrides());
                if (outcome.job() != null) {
                    valid++;
                    // What the run folder records reads back to the same job.
                    assertEquals(outcome.job(), validator.validate(JobFile.parse(JobFile.toYaml(outcome.job()), "job.yaml",
                            List.of()), "job.yaml"), c.name());
                } else {
                    invalid++;
                    JobFileException e = outcome.problems();
                    assertFalse(e.problems().isEmpty(), c.name());
                    for (String problem : e.problems()) {
                        assertFalse(problem.isBlank() || problem.contains("\n"), c.name() + ": " + problem);
                    }
                    assertTrue(e.getMessage().lines().allMatch(line -> line.startsWith(file + ": ")), e.getMessage());
                }
            } catch (RuntimeException | StackOverflowError e) {
                failures.add(c.name() + " " + c.damage() + " " + c.overrides() + ": " + e
                        + "\n--- file ---\n" + new String(c.bytes(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(List.of(), failures.stream().limit(5).toList(), failures.size() + " of " + cases.size() + " cases");
        assertTrue(cases.size() >= 400, "cases: " + cases.size());
        // The damage reaches both ends: some jobs survive it (a dropped optional key), most do not.
        assertTrue(valid > 0 && invalid > valid, "valid " + valid + ", invalid " + invalid);
    }

    @Test
    void theCliGivesExitTwoAndOneLinePerProblem(@TempDir Path dir) {
        List<Case> chosen = new ArrayList<>();
        for (Case c : cases()) {
            // A handful of invalid cases, one per example job (a valid one would start training).
            if (chosen.stream().noneMatch(o -> o.name().startsWith(c.name().replaceAll("-\\d+$", "")))
                    && readAndValidate(c.write(dir), c.overrides()).job() == null) {
                chosen.add(c);
            }
        }
        assertTrue(chosen.size() >= 6, "cases: " + chosen.size());
        for (Case c : chosen) {
            Path file = c.write(dir);
            List<String> args = new ArrayList<>(List.of("train", file.toString()));
            c.overrides().forEach(o -> args.addAll(List.of("--set", o)));
            StringWriter err = new StringWriter();
            CommandLine cli = WorkbenchCommand.commandLine();
            cli.setErr(new PrintWriter(err, true));
            assertEquals(WorkbenchCommand.BAD_INPUT, cli.execute(args.toArray(String[]::new)), c.name() + ": " + err);
            JobFileException expected = readAndValidate(file, c.overrides()).problems();
            assertEquals("error: " + expected.getMessage(), err.toString().strip(), c.name());
            assertEquals(expected.problems().size(), err.toString().strip().lines().count(), err.toString());
            assertFalse(err.toString().contains("\tat ") || err.toString().contains("Caused by"), err.toString());
        }
    }

    private Outcome readAndValidate(Path file, List<String> overrides) {
        try {
            return new Outcome(validator.validate(JobFile.read(file, overrides), file.toString()), null);
        } catch (JobFileException e) {
            return new Outcome(null, e);
        }
    }

    /** {@link #CASES_PER_JOB} damaged copies of each example job, and a few inputs no damage would make. */
    private static List<Case> cases() {
        List<Path> jobs;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            jobs = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(jobs.size() >= 10, "example jobs: " + jobs);
        List<Case> cases = new ArrayList<>();
        for (Path job : jobs) {
            String text;
            try {
                text = Files.readString(job);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String stem = job.getFileName().toString().replace(".yaml", "");
            for (int i = 0; i < CASES_PER_JOB; i++) {
                cases.add(damaged(stem + "-" + i, text, new Random(stem.hashCode() * 1000L + i)));
            }
        }
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        cases.add(new Case("noise", noise, List.of(), List.of("random bytes")));
        cases.add(new Case("deep-list", "[".repeat(10_000).getBytes(StandardCharsets.UTF_8), List.of(), List.of("deep")));
        cases.add(new Case("deep-map", ("a: {".repeat(2_000) + "}".repeat(2_000)).getBytes(StandardCharsets.UTF_8),
                List.of(), List.of("deep")));
        cases.add(new Case("long-number", ("seed: " + "9".repeat(5_000)).getBytes(StandardCharsets.UTF_8), List.of(), List.of()));
        cases.add(new Case("comment-only", "# nothing\n".getBytes(StandardCharsets.UTF_8), List.of(), List.of()));
        cases.add(new Case("bom", "\uFEFFname: x\n".getBytes(StandardCharsets.UTF_8), List.of(), List.of()));
        return cases;
    }

    private static Case damaged(String name, String text, Random random) {
        List<String> damage = new ArrayList<>();
        String damagedText = text;
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            damagedText = damageText(damagedText, random, damage);
        }
        byte[] bytes = damagedText.getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(8) == 0) {
            bytes = damageBytes(bytes, random, damage);
        }
        List<String> overrides = random.nextInt(5) == 0 ? List.of(ODD_SETS.get(random.nextInt(ODD_SETS.size()))) : List.of();
        return new Case(name, bytes, overrides, damage);
    }

    private static String damageText(String text, Random random, List<String> damage) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int at = random.nextInt(lines.size());
        String line = lines.get(at);
        int colon = line.indexOf(':');
        switch (random.nextInt(9)) {
            case 0 -> {
                damage.add("drop line " + at);
                lines.remove(at);
            }
            case 1 -> {
                damage.add("double line " + at);
                lines.add(at, line);
            }
            case 2 -> {
                damage.add("rename the key of line " + at);
                if (colon > 0) {
                    String key = line.substring(0, colon);
                    int c = random.nextInt(key.length());
                    lines.set(at, key.substring(0, c) + (char) ('a' + random.nextInt(26)) + key.substring(c + 1) + line.substring(colon));
                }
            }
            case 3 -> {
                String value = ODD_VALUES.get(random.nextInt(ODD_VALUES.size()));
                damage.add("value of line " + at + " to " + value);
                if (colon > 0) {
                    lines.set(at, line.substring(0, colon + 1) + " " + value);
                }
            }
            case 4 -> {
                String garbage = GARBAGE_LINES.get(random.nextInt(GARBAGE_LINES.size()));
                damage.add("insert " + garbage + " at line " + at);
                lines.add(at, garbage);
            }
            case 5 -> {
                damage.add("reindent line " + at);
                lines.set(at, random.nextBoolean() ? "  " + line : line.stripLeading());
            }
            case 6 -> {
                damage.add("replace a character of line " + at);
                if (!line.isEmpty()) {
                    int c = random.nextInt(line.length());
                    lines.set(at, line.substring(0, c) + SPECIALS.charAt(random.nextInt(SPECIALS.length())) + line.substring(c + 1));
                }
            }
            case 7 -> {
                int cut = random.nextInt(text.length() + 1);
                damage.add("truncate at " + cut);
                return text.substring(0, cut);
            }
            default -> {
                int other = random.nextInt(lines.size());
                damage.add("swap lines " + at + " and " + other);
                lines.set(at, lines.get(other));
                lines.set(other, line);
            }
        }
        return String.join("\n", lines);
    }

    private static byte[] damageBytes(byte[] bytes, Random random, List<String> damage) {
        int at = random.nextInt(bytes.length + 1);
        byte[] inserted = new byte[1 + random.nextInt(8)];
        random.nextBytes(inserted);
        damage.add("insert " + inserted.length + " random bytes at " + at);
        byte[] out = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(bytes, at, out, at + inserted.length, bytes.length - at);
        return out;
    }
}
