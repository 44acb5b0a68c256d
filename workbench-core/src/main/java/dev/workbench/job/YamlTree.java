package dev.workbench.job;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads one YAML document into a tree, reporting what Jackson's own tree reader lets pass or words badly: a key
 * given twice (Jackson keeps the last, silently), an alias (Jackson gives the anchor's name as the value), and
 * {@code .inf}, {@code .nan} or a number beyond a double's range (Jackson's message is about its number parser).
 * A value at fault is left out of the tree, so the rest can still be checked and bound.
 */
final class YamlTree {
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** YAML 1.1's infinities and not-a-numbers, which Jackson tokenises as floats but cannot read. */
    private static final Pattern NON_FINITE = Pattern.compile("[-+]?\\.(inf|Inf|INF|nan|NaN|NAN)");

    private final JsonParser parser;
    private final List<String> problems;

    private YamlTree(JsonParser parser, List<String> problems) {
        this.parser = parser;
        this.problems = problems;
    }

    /**
     * The first document of {@code yaml}, or null when there is none (or it is itself a value at fault); each problem
     * is added to {@code problems} as {@code field.path: what is wrong}, the paths starting at {@code path}.
     *
     * @throws JsonProcessingException when the text is not YAML
     */
    static JsonNode read(String yaml, String path, List<String> problems) throws IOException {
        try (JsonParser parser = FACTORY.createParser(yaml)) {
            if (parser.nextToken() == null) {
                return null;
            }
            JsonNode document = new YamlTree(parser, problems).value(path);
            // Jackson stops after the first document; a job file is one job, so what follows would be lost silently.
            JsonToken next = parser.nextToken();
            while (next == JsonToken.VALUE_NULL) {
                next = parser.nextToken();
            }
            if (next != null) {
                problems.add("a second YAML document starts at line " + parser.currentTokenLocation().getLineNr()
                        + " (after '---'); a job file holds one job");
            }
            return document;
        }
    }

    private JsonNode value(String path) throws IOException {
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            problems.add(at(path) + ": YAML aliases (*" + parser.getText() + ") are not supported; write the value out");
            return null;
        }
        return switch (parser.currentToken()) {
            case START_OBJECT -> mapping(path);
            case START_ARRAY -> list(path);
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> number(path);
            case VALUE_TRUE, VALUE_FALSE -> NODES.booleanNode(parser.getBooleanValue());
            case VALUE_NULL -> NODES.nullNode();
            // Strings, and tagged values such as !!binary: their text, which the type check judges.
            default -> NODES.textNode(parser.getText());
        };
    }

    private ObjectNode mapping(String path) throws IOException {
        ObjectNode node = NODES.objectNode();
        Map<String, Integer> firstLine = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            int line = parser.currentTokenLocation().getLineNr();
            String keyPath = path.isEmpty() ? key : path + "." + key;
            parser.nextToken();
            JsonNode value = value(keyPath);
            Integer first = firstLine.putIfAbsent(key, line);
            if (first != null) {
                problems.add(keyPath + ": duplicate key at line " + line + " (first at line " + first + "); give each key once");
            } else if (value != null) {
                node.set(key, value);
            }
        }
        return node;
    }

    /** The list, or null when an element is at fault: the whole list is then left out. */
    private ArrayNode list(String path) throws IOException {
        ArrayNode node = NODES.arrayNode();
        boolean complete = true;
        for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY; i++) {
            JsonNode element = value(path + "[" + i + "]");
            if (element == null) {
                complete = false;
            } else {
                node.add(element);
            }
        }
        return complete ? node : null;
    }

    private JsonNode number(String path) throws IOException {
        String text = parser.getText();
        if (NON_FINITE.matcher(text).matches()) {
            problems.add(at(path) + ": must be a finite number, got " + text);
            return null;
        }
        try {
            return switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                case BIG_INTEGER -> NODES.numberNode(parser.getBigIntegerValue());
                default -> {
                    double value = parser.getDoubleValue();
                    if (!Double.isFinite(value)) {
                        problems.add(at(path) + ": must be a finite number, got " + text);
                        yield null;
                    }
                    yield NODES.numberNode(value);
                }
            };
        } catch (JsonProcessingException e) {
            // A form YAML calls a number and Jackson cannot read (too long, say): the type check names it.
            return NODES.textNode(text);
        }
    }

    private static String at(String path) {
        return path.isEmpty() ? "(top level)" : path;
    }
}
