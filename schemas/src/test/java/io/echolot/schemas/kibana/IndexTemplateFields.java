package io.echolot.schemas.kibana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The fields of one Elasticsearch index template, flattened to dotted paths with their mapping type
 * ({@code author.handle → keyword}), including the fields its dynamic templates create ({@code
 * platforms.* → long}).
 */
record IndexTemplateFields(
        String name,
        List<String> indexPatterns,
        Map<String, String> fields,
        Map<Pattern, String> dynamicFields) {

    /** Reads an index template file (the body of {@code PUT _index_template/NAME}). */
    static IndexTemplateFields read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<String> patterns = new ArrayList<>();
        root.path("index_patterns").forEach(p -> patterns.add(p.asText()));
        JsonNode mappings = root.path("template").path("mappings");
        Map<String, String> fields = new LinkedHashMap<>();
        flatten("", mappings.path("properties"), fields);
        Map<Pattern, String> dynamic = new LinkedHashMap<>();
        for (JsonNode entry : mappings.path("dynamic_templates")) {
            entry.fields()
                    .forEachRemaining(
                            t -> {
                                JsonNode match = t.getValue().path("path_match");
                                String type = t.getValue().path("mapping").path("type").asText();
                                List<JsonNode> globs = new ArrayList<>();
                                if (match.isArray()) {
                                    match.forEach(globs::add);
                                } else if (match.isTextual()) {
                                    globs.add(match);
                                }
                                globs.forEach(g -> dynamic.put(glob(g.asText()), type));
                            });
        }
        String name = file.getFileName().toString().replaceFirst("\\.json$", "");
        return new IndexTemplateFields(name, patterns, fields, dynamic);
    }

    private static void flatten(String prefix, JsonNode properties, Map<String, String> out) {
        properties
                .fields()
                .forEachRemaining(
                        e -> {
                            String path = prefix + e.getKey();
                            JsonNode def = e.getValue();
                            if (def.has("properties")) {
                                out.put(path, def.path("type").asText("object"));
                                flatten(path + ".", def.path("properties"), out);
                            } else {
                                out.put(path, def.path("type").asText("object"));
                            }
                            def.path("fields")
                                    .fields()
                                    .forEachRemaining(
                                            m ->
                                                    out.put(
                                                            path + "." + m.getKey(),
                                                            m.getValue().path("type").asText()));
                        });
    }

    /** An Elasticsearch/Kibana glob ({@code *} = any characters) as a regular expression. */
    static Pattern glob(String glob) {
        String[] parts = glob.split("\\*", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            re.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(re.toString());
    }

    /** The mapping type of a field, from the mapping or a dynamic template. */
    Optional<String> typeOf(String field) {
        String type = fields.get(field);
        if (type != null) {
            return Optional.of(type);
        }
        return dynamicFields.entrySet().stream()
                .filter(d -> d.getKey().matcher(field).matches())
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** Whether this template applies to every index a data view's title names. */
    boolean covers(String dataViewTitle) {
        return indexPatterns.stream()
                .anyMatch(p -> p.equals(dataViewTitle) || glob(p).matcher(dataViewTitle).matches());
    }
}
