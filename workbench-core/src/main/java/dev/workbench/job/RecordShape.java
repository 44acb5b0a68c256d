package dev.workbench.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workbench.naming.ClosestName;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a job tree against the records it binds to, key by key: every unknown key and every value of the wrong
 * type is listed with its field path and taken out of the tree. Jackson stops at the first of these; after this
 * check the rest binds (what was taken out takes its default), so the range checks run on it too and the user
 * sees every problem at once.
 */
final class RecordShape {
    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private final List<String> problems;

    private RecordShape(List<String> problems) {
        this.problems = problems;
    }

    /** Adds a problem per unknown key or ill-typed value under {@code tree} and removes each from the tree. */
    static void check(ObjectNode tree, Class<? extends Record> record, List<String> problems) {
        new RecordShape(problems).fields(tree, record, "");
    }

    private void fields(ObjectNode node, Class<?> record, String path) {
        Map<String, Type> fields = new LinkedHashMap<>();
        for (RecordComponent component : record.getRecordComponents()) {
            fields.put(SNAKE_CASE.translate(component.getName()), component.getGenericType());
        }
        for (Iterator<Map.Entry<String, JsonNode>> entries = node.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String key = entry.getKey();
            String keyPath = path.isEmpty() ? key : path + "." + key;
            Type type = fields.get(key);
            if (type == null) {
                List<String> known = fields.keySet().stream().sorted().toList();
                problems.add(keyPath + ": unknown key" + ClosestName.hint(key, known) + "; allowed here: " + String.join(", ", known));
                entries.remove();
            } else if (!fits(entry.getValue(), type, keyPath, true)) {
                entries.remove();
            }
        }
    }

    /** Whether {@code value} binds to {@code type}; when not, the problem is added. Null is the default, if allowed. */
    private boolean fits(JsonNode value, Type type, String path, boolean nullAllowed) {
        if (value.isNull()) {
            return nullAllowed || wrong(path, "expected " + kind(type) + ", got nothing");
        }
        if (type instanceof ParameterizedType generic && generic.getRawType() == List.class) {
            Type element = generic.getActualTypeArguments()[0];
            if (value.isObject()) {
                return wrong(path, "expected a list, got " + shown(value));
            }
            if (!value.isArray()) {
                return fits(value, element, path, false); // one value stands for a list of one, as Jackson takes it
            }
            boolean all = true;
            for (int i = 0; i < value.size(); i++) {
                all &= fits(value.get(i), element, path + "[" + i + "]", false);
            }
            return all;
        }
        if (type instanceof ParameterizedType generic && generic.getRawType() == Map.class) {
            return value.isObject() || wrong(path, "expected a mapping of keys, got " + shown(value));
        }
        Class<?> plain = (Class<?>) type;
        if (plain.isRecord()) {
            if (!value.isObject()) {
                return wrong(path, "expected a mapping of keys, got " + shown(value));
            }
            fields((ObjectNode) value, plain, path);
            return true;
        }
        if (plain == String.class) {
            return value.isValueNode() || wrong(path, "expected a string, got " + shown(value));
        }
        if (plain == Boolean.class) {
            return value.isBoolean() || value.isTextual() && List.of("true", "false").contains(value.asText())
                    || wrong(path, "expected true or false, got " + shown(value));
        }
        if (plain == Integer.class || plain == Long.class) {
            return whole(value, path, plain == Integer.class ? Integer.MIN_VALUE : Long.MIN_VALUE,
                    plain == Integer.class ? Integer.MAX_VALUE : Long.MAX_VALUE);
        }
        if (plain == Double.class) {
            return real(value, path);
        }
        return true; // a type added to the records after this check: Jackson judges it, and JobFile lists its refusal
    }

    private boolean whole(JsonNode value, String path, long min, long max) {
        if (value.isIntegralNumber()) {
            if (value.bigIntegerValue().compareTo(BigInteger.valueOf(max)) > 0) {
                return wrong(path, "must be at most " + max + ", got " + value.asText());
            }
            return value.bigIntegerValue().compareTo(BigInteger.valueOf(min)) >= 0
                    || wrong(path, "must be at least " + min + ", got " + value.asText());
        }
        if (value.isTextual()) {
            try {
                long parsed = Long.parseLong(value.asText());
                if (parsed >= min && parsed <= max) {
                    return true; // a quoted number: Jackson takes it as the number
                }
            } catch (NumberFormatException e) {
                // named below
            }
        }
        return wrong(path, "expected a whole number, got " + shown(value));
    }

    private boolean real(JsonNode value, String path) {
        double number;
        if (value.isNumber()) {
            number = value.doubleValue();
        } else if (value.isTextual()) {
            try {
                number = Double.parseDouble(value.asText()); // a quoted number: Jackson takes it as the number
            } catch (NumberFormatException e) {
                return wrong(path, "expected a number, got " + shown(value));
            }
        } else {
            return wrong(path, "expected a number, got " + shown(value));
        }
        return Double.isFinite(number) || wrong(path, "must be a finite number, got " + shown(value));
    }

    private boolean wrong(String path, String problem) {
        problems.add(path + ": " + problem);
        return false;
    }

    private static String kind(Type type) {
        if (type == Integer.class || type == Long.class) {
            return "a whole number";
        }
        if (type == Double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        return "a value";
    }

    private static String shown(JsonNode value) {
        if (value.isTextual()) {
            String text = value.asText();
            return "'" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        return value.asText();
    }
}
