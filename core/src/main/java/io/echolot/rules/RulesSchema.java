package io.echolot.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Validates a rules tree against {@code echolot/schemas/rules-v1.schema.json} and turns each
 * validator finding into a line a comms team can act on: where (the brand and the path in the file)
 * and what to fix. The fix comes from the schema itself ({@code patternErrorMessage}, {@code
 * errorMessage}, the same keywords editors show), so a rule and its message change together.
 */
final class RulesSchema {

    static final String RESOURCE = "/echolot/schemas/rules-v1.schema.json";

    /** Non-standard keywords that carry the messages; declared so the validator does not warn. */
    private static final String ERROR_MESSAGE = "errorMessage";

    private static final String PATTERN_ERROR_MESSAGE = "patternErrorMessage";

    private static final int MAX_VALUE_CHARS = 60;

    /** Keys written as {@code .key} in a location; others as {@code ['odd key']}. */
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private static final JsonNode TREE = read();

    // built once: compiling the schema costs far more than validating a file with it
    private static final JsonSchema SCHEMA = compile(TREE);

    private RulesSchema() {}

    /** Every schema violation of {@code root}, each as "where: what to fix". */
    static List<String> problems(JsonNode root) {
        // a set: anyOf reports every failed alternative, the reader needs one line per anyOf
        Set<String> out = new LinkedHashSet<>();
        for (ValidationMessage m : SCHEMA.validate(root)) {
            List<Object> schemaPath = elements(m.getSchemaLocation().getFragment());
            int a = schemaPath.lastIndexOf("anyOf");
            if (a >= 0) {
                String where = where(root, anyOfInstance(m));
                String what =
                        text(node(schemaPath.subList(0, a)), ERROR_MESSAGE, "fits no allowed form");
                out.add(where + ": " + what);
            } else {
                out.add(describe(root, m, schemaPath));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Where a value is, for people: the brand (by id, or by its number when it has none) and the
     * path in the file, e.g. {@code brand 'acme' at brands[1].names[2]} or {@code topics.preis}.
     */
    static String where(JsonNode root, List<Object> path) {
        if (path.isEmpty()) {
            return "top level";
        }
        StringBuilder b = new StringBuilder();
        if (path.size() >= 2 && "brands".equals(path.get(0)) && path.get(1) instanceof Integer i) {
            JsonNode id = root.path("brands").path(i).path("id");
            boolean named = (id.isTextual() || id.isIntegralNumber()) && !id.asText().isBlank();
            b.append(named ? "brand '" + id.asText() + "'" : "brand #" + (i + 1)).append(" at ");
        }
        for (int k = 0; k < path.size(); k++) {
            Object e = path.get(k);
            if (e instanceof Integer i) {
                b.append('[').append(i).append(']');
            } else if (PLAIN_KEY.matcher(e.toString()).matches()) {
                b.append(k == 0 ? "" : ".").append(e);
            } else {
                b.append("['").append(e).append("']");
            }
        }
        return b.toString();
    }

    /** A value as the reader wrote it, shortened: {@code "a*b"}, {@code 2}, {@code true}. */
    static String show(JsonNode value) {
        String s = value == null || value.isMissingNode() ? "nothing" : value.toString();
        return s.length() <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS - 1) + "…";
    }

    private static String describe(JsonNode root, ValidationMessage m, List<Object> schemaPath) {
        List<Object> at = elements(m.getInstanceLocation());
        JsonNode value = m.getInstanceNode();
        JsonNode rule = node(schemaPath.subList(0, schemaPath.size() - 1));
        String what =
                switch (m.getType()) {
                    case "type" -> typeProblem(rule.path("type"), value) + hint(rule);
                    case "required" ->
                            "'"
                                    + m.getProperty()
                                    + "' is missing"
                                    + hint(rule.path("properties").path(m.getProperty()));
                    case "additionalProperties" ->
                            "unknown key '"
                                    + m.getProperty()
                                    + "' (known keys: "
                                    + String.join(", ", names(rule.path("properties")))
                                    + ")";
                    case "propertyNames" ->
                            show(TextNode.valueOf(m.getProperty()))
                                    + " "
                                    + text(
                                            follow(node(schemaPath)),
                                            PATTERN_ERROR_MESSAGE,
                                            "is not an allowed key");
                    case "pattern" ->
                            show(value)
                                    + " "
                                    + text(
                                            rule,
                                            PATTERN_ERROR_MESSAGE,
                                            "does not match " + rule.path("pattern").asText());
                    case "const" -> "must be " + rule.path("const") + ", not " + show(value);
                    case "enum" ->
                            "must be one of "
                                    + String.join(", ", values(rule.path("enum")))
                                    + ", not "
                                    + show(value);
                    case "minItems" ->
                            (rule.path("minItems").asInt() == 1
                                            ? "is empty"
                                            : "must have at least "
                                                    + rule.path("minItems")
                                                    + " entries")
                                    + hint(rule);
                    case "minimum" ->
                            "must be " + rule.path("minimum") + " or more, not " + show(value);
                    case "maximum" ->
                            "must be " + rule.path("maximum") + " or less, not " + show(value);
                    default -> stripPath(m.getMessage()) + hint(rule);
                };
        return where(root, at) + ": " + what;
    }

    private static String typeProblem(JsonNode types, JsonNode value) {
        StringJoiner expected = new StringJoiner(" or ");
        for (JsonNode t : types.isArray() ? types : List.of(types)) {
            switch (t.asText()) {
                case "array" -> expected.add("a list such as [a, b]");
                case "object" -> expected.add("a mapping of key: value");
                case "string" -> expected.add("text");
                case "integer" -> expected.add("a whole number");
                case "number" -> expected.add("a number");
                case "boolean" -> expected.add("true or false");
                default -> {
                    // null is allowed where a key may stay empty; not worth naming
                }
            }
        }
        return "must be "
                + expected
                + (value == null || value.isNull() ? " but has no value" : ", not " + show(value));
    }

    /**
     * The fix to add for a failure of {@code schema}, if it has one: ": give at least one name".
     */
    private static String hint(JsonNode schema) {
        String h = text(schema, ERROR_MESSAGE, null);
        return h == null ? "" : ": " + h;
    }

    private static String text(JsonNode schema, String keyword, String fallback) {
        JsonNode t = schema.get(keyword);
        return t != null && t.isTextual() ? t.asText() : fallback;
    }

    /** A schema that is only a local {@code $ref}, replaced by the schema it points to. */
    private static JsonNode follow(JsonNode schema) {
        JsonNode ref = schema.get("$ref");
        if (ref != null && ref.asText().startsWith("#")) {
            return TREE.at(ref.asText().substring(1));
        }
        return schema;
    }

    /**
     * Where the failed anyOf applies: the error's instance minus the steps taken below the anyOf
     * (each {@code properties/name}, {@code items} or {@code additionalProperties}).
     */
    private static List<Object> anyOfInstance(ValidationMessage m) {
        List<Object> eval = elements(m.getEvaluationPath());
        List<Object> at = elements(m.getInstanceLocation());
        int steps = 0;
        for (int k = eval.lastIndexOf("anyOf") + 2; k < eval.size(); k++) {
            Object e = eval.get(k);
            if ("properties".equals(e)) {
                steps++;
                k++;
            } else if ("items".equals(e) || "additionalProperties".equals(e)) {
                steps++;
            }
        }
        return at.subList(0, Math.max(0, at.size() - steps));
    }

    private static JsonNode node(List<Object> schemaPath) {
        StringBuilder pointer = new StringBuilder();
        for (Object e : schemaPath) {
            pointer.append('/').append(e.toString().replace("~", "~0").replace("/", "~1"));
        }
        return TREE.at(pointer.toString());
    }

    private static List<Object> elements(JsonNodePath path) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; path != null && i < path.getNameCount(); i++) {
            out.add(path.getElement(i));
        }
        return out;
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> values(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.toString()));
        return out;
    }

    /** The validator's own text without its "$.a.b: " prefix, for keywords not worded here. */
    private static String stripPath(String message) {
        int colon = message.indexOf(": ");
        return colon >= 0 && message.startsWith("$") ? message.substring(colon + 2) : message;
    }

    private static JsonNode read() {
        try (InputStream in = RulesSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        RESOURCE + " is not on the classpath (echolot-schemas missing?)");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema compile(JsonNode tree) {
        JsonMetaSchema meta =
                JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                        .keyword(new AnnotationKeyword(ERROR_MESSAGE))
                        .keyword(new AnnotationKeyword(PATTERN_ERROR_MESSAGE))
                        .build();
        JsonSchema schema =
                JsonSchemaFactory.getInstance(
                                SpecVersion.VersionFlag.V202012, b -> b.metaSchema(meta))
                        .getSchema(tree);
        // resolves every $ref now, so that concurrent loads share a finished schema
        schema.initializeValidators();
        return schema;
    }
}
