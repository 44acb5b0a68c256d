package dev.workbench.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.workbench.naming.ClosestName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a YAML job file into a {@link JobSpec}: applies {@code --set key=value} overrides, binds to
 * records and turns every binding failure into an error naming the field path. Range checks live in
 * {@code dev.workbench.JobValidator}.
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

    /** Reads and binds {@code file}; {@code overrides} are {@code dotted.path=yamlValue}. */
    public static JobSpec load(Path file, List<String> overrides) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new JobFileException(file.toString(), List.of("no such job file"));
        } catch (IOException e) {
            throw new JobFileException(file.toString(), List.of("cannot read: " + e.getMessage()));
        }
        return parse(text, file.toString(), overrides);
    }

    public static JobSpec parse(String yaml, String source, List<String> overrides) {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new JobFileException(source, List.of("not valid YAML: " + e.getOriginalMessage()
                    + location(e)));
        }
        if (tree == null || tree instanceof MissingNode || tree.isNull()) {
            throw new JobFileException(source, List.of("the job file is empty"));
        }
        if (!tree.isObject()) {
            throw new JobFileException(source, List.of("the job file must be a mapping of keys (name, dataset, model, training, ...)"));
        }
        for (String override : overrides) {
            apply((ObjectNode) tree, override, source);
        }
        try {
            return YAML.treeToValue(tree, JobSpec.class);
        } catch (JsonProcessingException e) {
            throw new JobFileException(source, List.of(describe(e)));
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

    private static void apply(ObjectNode root, String override, String source) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new JobFileException(source, List.of("--set " + override + ": expected key.path=value"));
        }
        String[] keys = override.substring(0, eq).trim().split("\\.");
        JsonNode value;
        try {
            value = YAML.readTree(override.substring(eq + 1));
        } catch (JsonProcessingException e) {
            throw new JobFileException(source, List.of("--set " + override + ": value is not valid YAML"));
        }
        ObjectNode node = root;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = node.get(keys[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(keys[i]);
            } else if (!child.isObject()) {
                throw new JobFileException(source, List.of("--set " + override + ": '"
                        + String.join(".", List.of(keys).subList(0, i + 1)) + "' is not a mapping"));
            }
            node = (ObjectNode) child;
        }
        node.set(keys[keys.length - 1], value == null || value instanceof MissingNode ? YAML.nullNode() : value);
    }

    private static String describe(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping)) {
            return e.getOriginalMessage();
        }
        String path = path(mapping.getPath());
        if (e instanceof UnrecognizedPropertyException unknown) {
            List<String> known = unknown.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
            return path + ": unknown key" + ClosestName.hint(unknown.getPropertyName(), known)
                    + "; allowed here: " + String.join(", ", known);
        }
        if (e instanceof InvalidFormatException format) {
            return path + ": expected " + kind(format.getTargetType()) + ", got '" + format.getValue() + "'";
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return path + ": expected " + kind(mismatch.getTargetType());
        }
        return path + ": " + e.getOriginalMessage();
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        String path = refs.stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        return path.isEmpty() ? "(top level)" : path;
    }

    private static String kind(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping of keys";
        }
        return type.getSimpleName();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
