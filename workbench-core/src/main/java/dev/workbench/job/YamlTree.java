package dev.workbench.job;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.List;

/**
 * Reads one YAML document into a tree of the values it can use; a value at fault is listed and left out of the
 * tree, so the rest can still be checked and bound.
 */
final class YamlTree {
    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

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
            return document;
        }
    }

    private JsonNode value(String path) throws IOException {
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
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            String keyPath = path.isEmpty() ? key : path + "." + key;
            parser.nextToken();
            JsonNode value = value(keyPath);
            if (value != null) {
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
        try {
            return switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                case BIG_INTEGER -> NODES.numberNode(parser.getBigIntegerValue());
                default -> NODES.numberNode(parser.getDoubleValue());
            };
        } catch (JsonProcessingException e) {
            // A form YAML calls a number and Jackson cannot read (too long, say): the type check names it.
            return NODES.textNode(text);
        }
    }
}
