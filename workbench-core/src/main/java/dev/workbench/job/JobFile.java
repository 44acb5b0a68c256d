package dev.workbench.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a YAML job file into a {@link JobSpec}: applies {@code --set key=value} overrides, checks every key and
 * value type against the records and binds what fits. Every problem is listed at once, each naming its field path;
 * range checks live in {@code dev.workbench.JobValidator}, which adds its problems to these.
 */
public final class JobFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private JobFile() {
    }

    /**
     * Reads and binds {@code file}; {@code overrides} are {@code dotted.path=yamlValue}.
     *
     * @throws JobFileException listing every problem
     */
    public static JobSpec load(Path file, List<String> overrides) {
        return read(file, overrides).orThrow(file.toString());
    }

    /**
     * Reads and binds {@code file} as far as it can, for a validator to add its range problems to those found here.
     *
     * @throws JobFileException when the file cannot be read as a YAML mapping at all
     */
    public static BoundJob read(Path file, List<String> overrides) {
        return bind(text(file), file.toString(), overrides);
    }

    /** @throws JobFileException listing every problem, each prefixed by {@code source} */
    public static JobSpec parse(String yaml, String source, List<String> overrides) {
        return bind(yaml, source, overrides).orThrow(source);
    }

    /**
     * Binds {@code yaml} as far as it can: unknown keys, ill-typed values, duplicate keys and bad overrides are listed
     * and left out (those fields take their defaults).
     *
     * @throws JobFileException when the text is not YAML or not a mapping of keys, or what is left still cannot bind
     */
    public static BoundJob bind(String yaml, String source, List<String> overrides) {
        List<String> problems = new ArrayList<>();
        JsonNode tree;
        try {
            tree = YamlTree.read(yaml, "", problems);
        } catch (JsonProcessingException e) {
            throw new JobFileException(source, List.of("not valid YAML: " + yamlProblem(e)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a string", e); // a string reader does not fail
        }
        if (tree == null && problems.isEmpty()) {
            throw new JobFileException(source, List.of("the job file is empty"));
        }
        if (tree == null || !tree.isObject()) {
            throw new JobFileException(source, List.of("the job file must be a mapping of keys (name, dataset, model, training, ...)"));
        }
        ObjectNode root = (ObjectNode) tree;
        for (String override : overrides) {
            apply(root, override, problems);
        }
        RecordShape.check(root, JobSpec.class, problems);
        try {
            return new BoundJob(YAML.treeToValue(root, JobSpec.class), problems);
        } catch (JsonProcessingException e) {
            // A shape RecordShape passes and Jackson refuses: still the user's file, still a listed problem.
            problems.add(describe(e));
            throw new JobFileException(source, problems);
        }
    }

    /** The job as YAML, defaults included: what the run folder records as job.yaml. */
    public static String toYaml(JobSpec job) {
        try {
            return YAML.writeValueAsString(job);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write job as YAML", e);
        }
    }

    /** The UTF-8 text of {@code file}; a file that is not text is named as such, not as a decoder's complaint. */
    private static String text(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new JobFileException(file.toString(), List.of("no such job file"));
        } catch (AccessDeniedException e) {
            throw new JobFileException(file.toString(), List.of("cannot read: permission denied"));
        } catch (IOException e) {
            throw new JobFileException(file.toString(), List.of("cannot read: " + e.getMessage()));
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never gives more chars than bytes
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        int bad = decoder.decode(in, out, true).isError() ? in.position() : bytes.length;
        for (int i = 0; i < bad; i++) {
            if (bytes[i] == 0) {
                bad = i; // a NUL byte is valid UTF-8, but no text file holds one
            }
        }
        if (bad < bytes.length) {
            throw new JobFileException(file.toString(), List.of(String.format(
                    "not a UTF-8 YAML text file (byte 0x%02x at offset %d); a job file is YAML text", bytes[bad], bad)));
        }
        return out.flip().toString();
    }

    /** Applies one {@code --set}; a bad one is listed and skipped, so the file's own value stays. */
    private static void apply(ObjectNode root, String override, List<String> problems) {
        int eq = override.indexOf('=');
        String key = eq < 0 ? "" : override.substring(0, eq).trim();
        String[] keys = key.split("\\.", -1);
        if (key.isEmpty() || Arrays.stream(keys).anyMatch(String::isBlank)) {
            problems.add("--set " + override + ": expected key.path=value");
            return;
        }
        String text = override.substring(eq + 1);
        int before = problems.size();
        JsonNode value;
        try {
            value = YamlTree.read(text, key, problems);
        } catch (JsonProcessingException e) {
            problems.add("--set " + override + ": the value is not valid YAML: " + yamlProblem(e));
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a string", e);
        }
        if (value == null) {
            if (problems.size() == before) {
                // An empty value used to mean the default, silently; null says that on purpose.
                problems.add("--set " + key + "=: the value is empty; give one (null takes the default)");
            }
            return;
        }
        ObjectNode node = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = node.get(keys[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(keys[i]);
            } else if (!child.isObject()) {
                problems.add("--set " + override + ": '" + String.join(".", List.of(keys).subList(0, i + 1))
                        + "' is not a mapping");
                return;
            }
            node = (ObjectNode) child;
        }
        node.set(keys[keys.length - 1], value);
    }

    /** A binding failure as one problem line, naming the field path Jackson was at. */
    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage().lines().findFirst().orElse("").strip();
        if (!(e instanceof JsonMappingException mapping)) {
            return message;
        }
        String path = mapping.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        return (path.isEmpty() ? "(top level)" : path) + ": " + message;
    }

    /**
     * The parser's complaint in one line, where it happened: SnakeYAML's message spans several lines, with an excerpt
     * of the file, and Jackson's location is often where the construct began rather than where it broke.
     */
    private static String yamlProblem(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null && marked.getProblemMark() != null) {
            return marked.getProblem() + " (line " + (marked.getProblemMark().getLine() + 1) + ", column "
                    + (marked.getProblemMark().getColumn() + 1) + ")";
        }
        String first = e.getOriginalMessage().lines().findFirst().orElse("").strip();
        return e.getLocation() == null ? first
                : first + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
