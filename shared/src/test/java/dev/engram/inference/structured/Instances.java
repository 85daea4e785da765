package dev.engram.inference.structured;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;

/**
 * Random valid instances of the test schemas, written independently of the automaton (the schema
 * validator confirms each one), as compact JSON: what the automaton must accept.
 */
final class Instances {
    static final ObjectMapper JSON = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonNode root;
    private final Random random;

    Instances(JsonNode root, Random random) {
        this.root = root;
        this.random = random;
    }

    String next() throws Exception {
        return JSON.writeValueAsString(root == null ? anyObject(0) : value(root, 0));
    }

    private JsonNode value(JsonNode schema, int depth) {
        if (schema.has("$ref")) {
            return value(root.at(schema.get("$ref").asText().substring(1)), depth);
        }
        if (schema.has("anyOf")) {
            return value(
                    schema.get("anyOf").get(random.nextInt(schema.get("anyOf").size())), depth);
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(random.nextInt(schema.get("enum").size()));
        }
        JsonNode type = schema.get("type");
        if (type == null) {
            return any(depth);
        }
        String name = type.isArray() ? type.get(random.nextInt(type.size())).asText() : type.asText();
        return switch (name) {
            case "object" -> object(schema, depth);
            case "array" -> {
                int min = schema.path("minItems").asInt(0);
                int max = Math.min(schema.path("maxItems").asInt(min + 4), min + 4);
                ArrayNode array = NODES.arrayNode();
                for (int i = min + random.nextInt(max - min + 1); i > 0; i--) {
                    array.add(schema.has("items") ? value(schema.get("items"), depth + 1) : any(depth + 1));
                }
                yield array;
            }
            case "string" -> {
                int min = schema.path("minLength").asInt(0);
                int max = Math.min(schema.path("maxLength").asInt(min + 10), min + 10);
                yield NODES.textNode(text(min + random.nextInt(max - min + 1)));
            }
            case "integer", "number" -> number(schema, name.equals("integer"));
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            default -> NODES.nullNode();
        };
    }

    private JsonNode object(JsonNode schema, int depth) {
        ObjectNode object = NODES.objectNode();
        JsonNode properties = schema.path("properties");
        if (properties.isEmpty()) {
            JsonNode values = schema.path("additionalProperties");
            for (int i = random.nextInt(4); i > 0; i--) {
                object.set(text(1 + random.nextInt(4)), values.isObject() ? value(values, depth + 1) : any(depth + 1));
            }
            return object;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = properties.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            boolean required = false;
            for (JsonNode name : schema.path("required")) {
                required |= name.asText().equals(field.getKey());
            }
            if (required || random.nextBoolean()) {
                object.set(field.getKey(), value(field.getValue(), depth + 1));
            }
        }
        return object;
    }

    private JsonNode number(JsonNode schema, boolean integer) {
        BigDecimal low = schema.has("minimum")
                ? schema.get("minimum").decimalValue()
                : schema.has("exclusiveMinimum")
                        ? schema.get("exclusiveMinimum").decimalValue()
                        : BigDecimal.valueOf(-1_000_000);
        BigDecimal high = schema.has("maximum")
                ? schema.get("maximum").decimalValue()
                : schema.has("exclusiveMaximum")
                        ? schema.get("exclusiveMaximum").decimalValue()
                        : BigDecimal.valueOf(1_000_000);
        int scale = integer ? 0 : random.nextInt(7);
        BigDecimal step = BigDecimal.ONE.movePointLeft(scale);
        BigDecimal first = low.setScale(scale, RoundingMode.CEILING);
        if (schema.has("exclusiveMinimum") && first.compareTo(low) == 0) {
            first = first.add(step);
        }
        BigDecimal last = high.setScale(scale, RoundingMode.FLOOR);
        if (schema.has("exclusiveMaximum") && last.compareTo(high) == 0) {
            last = last.subtract(step);
        }
        if (first.compareTo(last) > 0) {
            return number(schema, integer); // no value on this grid: a finer one
        }
        long steps = last.subtract(first).divide(step).longValueExact();
        return new DecimalNode(
                first.add(step.multiply(BigDecimal.valueOf((long) (random.nextDouble() * (steps + 1))))));
    }

    private JsonNode anyObject(int depth) {
        ObjectNode object = NODES.objectNode();
        for (int i = random.nextInt(4); i > 0; i--) {
            object.set(text(random.nextInt(5)), any(depth + 1));
        }
        return object;
    }

    private JsonNode any(int depth) {
        return switch (random.nextInt(depth > 2 ? 5 : 7)) {
            case 0 -> NODES.textNode(text(random.nextInt(8)));
            case 1 -> NODES.numberNode(random.nextInt(2001) - 1000);
            case 2 -> new DecimalNode(BigDecimal.valueOf(random.nextInt(200_001) - 100_000, 3));
            case 3 -> NODES.booleanNode(random.nextBoolean());
            case 4 -> NODES.nullNode();
            case 5 -> anyObject(depth);
            default -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(any(depth + 1));
                }
                yield array;
            }
        };
    }

    /** Code points of every kind a writer must escape or encode: ASCII, controls, quotes, accents, CJK, emoji. */
    private String text(int codePoints) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            text.appendCodePoint(
                    switch (random.nextInt(8)) {
                        case 0 -> random.nextInt(0x20);
                        case 1 -> "\"\\/".charAt(random.nextInt(3));
                        case 2 -> 0xA0 + random.nextInt(0x700);
                        case 3 -> 0x4E00 + random.nextInt(0x500);
                        case 4 -> 0x1F600 + random.nextInt(0x40);
                        default -> 0x20 + random.nextInt(0x5F);
                    });
        }
        return text.toString();
    }
}
