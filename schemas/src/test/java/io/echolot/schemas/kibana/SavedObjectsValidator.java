package io.echolot.schemas.kibana;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks Kibana saved objects (NDJSON export files, Kibana 8.x) without a Kibana: that every line
 * is a saved object of a known type, that every reference points at an object in the files, that
 * dashboard panels and controls are wired to existing objects, and that every field a data view,
 * Lens column, saved search, KQL query or dashboard control names exists in the index template
 * behind its data view with a type that fits its use (a date histogram needs a date, a sum a
 * number, a terms split an aggregatable field, never text).
 */
final class SavedObjectsValidator {

    static final Set<String> TYPES = Set.of("index-pattern", "lens", "search", "dashboard");
    static final Set<String> NUMERIC =
            Set.of(
                    "long",
                    "integer",
                    "short",
                    "byte",
                    "double",
                    "float",
                    "half_float",
                    "scaled_float",
                    "unsigned_long");
    static final Set<String> DATES = Set.of("date", "date_nanos");
    static final Set<String> KEYWORDS = Set.of("keyword", "constant_keyword", "wildcard");

    /** Fields that can be bucketed, sorted or counted distinctly (doc values): not text. */
    static final Set<String> AGGREGATABLE =
            union(NUMERIC, DATES, KEYWORDS, Set.of("boolean", "ip"));

    static final Set<String> LENS_VISUALIZATIONS =
            Set.of(
                    "lnsXY",
                    "lnsPie",
                    "lnsMetric",
                    "lnsDatatable",
                    "lnsLegacyMetric",
                    "lnsGauge",
                    "lnsHeatmap",
                    "lnsTagcloud");

    /** Operation → the mapping types its source field may have. */
    static final Map<String, Set<String>> OPERATION_FIELD_TYPES =
            Map.ofEntries(
                    Map.entry("date_histogram", DATES),
                    Map.entry("terms", AGGREGATABLE),
                    Map.entry("unique_count", AGGREGATABLE),
                    Map.entry("sum", NUMERIC),
                    Map.entry("average", NUMERIC),
                    Map.entry("median", NUMERIC),
                    Map.entry("standard_deviation", NUMERIC),
                    Map.entry("percentile", NUMERIC),
                    Map.entry("percentile_rank", NUMERIC),
                    Map.entry("range", NUMERIC),
                    Map.entry("min", union(NUMERIC, DATES)),
                    Map.entry("max", union(NUMERIC, DATES)),
                    Map.entry("last_value", AGGREGATABLE),
                    Map.entry("count", AGGREGATABLE));

    /** Operations without a source field. */
    static final Set<String> FIELDLESS_OPERATIONS =
            Set.of(
                    "filters",
                    "formula",
                    "math",
                    "static_value",
                    "cumulative_sum",
                    "differences",
                    "moving_average",
                    "counter_rate",
                    "overall_sum",
                    "overall_min",
                    "overall_max",
                    "overall_average",
                    "normalize_by_unit");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern KQL_FIELD = Pattern.compile("([A-Za-z_@][\\w.@]*)\\s*:");

    private final List<IndexTemplateFields> templates;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, JsonNode> objects = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();

    SavedObjectsValidator(List<IndexTemplateFields> templates) {
        this.templates = List.copyOf(templates);
    }

    /** Reads every index template file ({@code *.json}) in a directory. */
    static List<IndexTemplateFields> readTemplates(Path dir) throws IOException {
        List<IndexTemplateFields> out = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                out.add(IndexTemplateFields.read(f));
            }
        }
        return out;
    }

    /** Adds the objects of one NDJSON file; call {@link #validate()} once all are added. */
    SavedObjectsValidator addFile(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            addLine(file.getFileName() + ":" + (i + 1), lines.get(i));
        }
        return this;
    }

    /** Adds one NDJSON line; {@code where} names it in problems (file:line). */
    SavedObjectsValidator addLine(String where, String line) {
        if (line.isBlank()) {
            return this;
        }
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            problems.add(where + ": not JSON: " + e.getOriginalMessage());
            return this;
        }
        if (o.has("exportedCount")) {
            return this; // the summary line of a Kibana export
        }
        String type = o.path("type").asText();
        String id = o.path("id").asText();
        if (!TYPES.contains(type)) {
            problems.add(where + ": unknown saved object type '" + type + "'");
            return this;
        }
        if (id.isEmpty() || !o.path("attributes").isObject() || !o.path("references").isArray()) {
            problems.add(where + ": a saved object needs an id, attributes and references");
            return this;
        }
        if (!o.hasNonNull("typeMigrationVersion") && !o.path("migrationVersion").isObject()) {
            // without it Kibana runs every migration since 7.x over an 8.x object, which fails
            problems.add(where + ": " + type + ":" + id + " has no typeMigrationVersion");
        }
        String key = type + ":" + id;
        if (objects.containsKey(key)) {
            problems.add(
                    where + ": " + key + " is defined twice (also at " + sources.get(key) + ")");
        }
        objects.put(key, o);
        sources.put(key, where);
        return this;
    }

    /** All problems found, each naming the object; empty when everything is consistent. */
    List<String> validate() {
        for (Map.Entry<String, JsonNode> e : objects.entrySet()) {
            JsonNode o = e.getValue();
            String where = sources.get(e.getKey()) + " " + e.getKey();
            for (JsonNode ref : o.path("references")) {
                String target = ref.path("type").asText() + ":" + ref.path("id").asText();
                if (!objects.containsKey(target)) {
                    problems.add(
                            where
                                    + ": reference '"
                                    + ref.path("name").asText()
                                    + "' points at "
                                    + target
                                    + ", which is in no file");
                }
            }
            switch (o.path("type").asText()) {
                case "index-pattern" -> dataView(where, o);
                case "lens" -> lens(where, o);
                case "search" -> search(where, o);
                case "dashboard" -> dashboard(where, o);
                default -> throw new IllegalStateException();
            }
        }
        return List.copyOf(problems);
    }

    /** The ids of the objects of one type. */
    Set<String> ids(String type) {
        Set<String> ids = new HashSet<>();
        objects.values().stream()
                .filter(o -> o.path("type").asText().equals(type))
                .forEach(o -> ids.add(o.path("id").asText()));
        return ids;
    }

    // --- data views ----------------------------------------------------------------------------

    private Optional<IndexTemplateFields> templateOf(String dataViewId) {
        JsonNode dv = objects.get("index-pattern:" + dataViewId);
        if (dv == null) {
            return Optional.empty();
        }
        String title = dv.path("attributes").path("title").asText();
        return templates.stream().filter(t -> t.covers(title)).findFirst();
    }

    private void dataView(String where, JsonNode o) {
        JsonNode a = o.path("attributes");
        String title = a.path("title").asText();
        Optional<IndexTemplateFields> template = templateOf(o.path("id").asText());
        if (template.isEmpty()) {
            problems.add(
                    where + ": no index template covers the data view's indices '" + title + "'");
            return;
        }
        if (a.hasNonNull("timeFieldName")) {
            field(where, "time field", template.get(), a.path("timeFieldName").asText(), DATES);
        }
        if (a.hasNonNull("fieldFormatMap")) {
            parse(where, "fieldFormatMap", a.path("fieldFormatMap").asText())
                    .ifPresent(
                            m ->
                                    m.fieldNames()
                                            .forEachRemaining(
                                                    f ->
                                                            field(
                                                                    where,
                                                                    "field format",
                                                                    template.get(),
                                                                    f,
                                                                    null)));
        }
    }

    // --- Lens ----------------------------------------------------------------------------------

    private void lens(String where, JsonNode o) {
        JsonNode a = o.path("attributes");
        String vis = a.path("visualizationType").asText();
        if (!LENS_VISUALIZATIONS.contains(vis)) {
            problems.add(where + ": unknown Lens visualization type '" + vis + "'");
        }
        JsonNode state = a.path("state");
        JsonNode layers = state.path("datasourceStates").path("formBased").path("layers");
        if (!layers.isObject() || layers.isEmpty()) {
            problems.add(where + ": no formBased layers in state.datasourceStates");
            return;
        }
        Set<String> columnIds = new HashSet<>();
        List<IndexTemplateFields> layerTemplates = new ArrayList<>();
        layers.fields()
                .forEachRemaining(
                        layer -> {
                            String layerWhere = where + " layer " + layer.getKey();
                            Optional<String> dataViewId =
                                    reference(o, "indexpattern-datasource-layer-" + layer.getKey());
                            if (dataViewId.isEmpty()) {
                                problems.add(
                                        layerWhere
                                                + ": no reference 'indexpattern-datasource-layer-"
                                                + layer.getKey()
                                                + "' to its data view");
                                return;
                            }
                            Optional<IndexTemplateFields> template = templateOf(dataViewId.get());
                            template.ifPresent(layerTemplates::add);
                            JsonNode columns = layer.getValue().path("columns");
                            Set<String> order = new HashSet<>();
                            layer.getValue()
                                    .path("columnOrder")
                                    .forEach(c -> order.add(c.asText()));
                            Set<String> defined = new HashSet<>();
                            columns.fieldNames().forEachRemaining(defined::add);
                            if (!order.equals(defined)) {
                                problems.add(
                                        layerWhere
                                                + ": columnOrder "
                                                + order
                                                + " differs from the columns "
                                                + defined);
                            }
                            columnIds.addAll(defined);
                            columns.fields()
                                    .forEachRemaining(
                                            c ->
                                                    template.ifPresent(
                                                            t ->
                                                                    column(
                                                                            layerWhere
                                                                                    + " column "
                                                                                    + c.getKey(),
                                                                            t,
                                                                            c.getValue(),
                                                                            defined)));
                        });
        accessors(state.path("visualization"), "", where, columnIds);
        for (IndexTemplateFields t : layerTemplates) {
            kql(where + " query", t, state.path("query"));
            filters(where, t, state.path("filters"));
        }
    }

    private void column(String where, IndexTemplateFields t, JsonNode c, Set<String> columns) {
        String op = c.path("operationType").asText();
        String field = c.path("sourceField").asText(null);
        if (FIELDLESS_OPERATIONS.contains(op)) {
            return;
        }
        Set<String> fits = OPERATION_FIELD_TYPES.get(op);
        if (fits == null) {
            problems.add(where + ": unknown Lens operation '" + op + "'");
            return;
        }
        if (field == null) {
            problems.add(where + ": operation " + op + " without a sourceField");
            return;
        }
        if (op.equals("count") && field.equals("___records___")) {
            return;
        }
        Optional<String> type = field(where + " (" + op + ")", t, field, fits);
        String expected = type.map(SavedObjectsValidator::lensDataType).orElse(null);
        boolean keepsFieldType = Set.of("date_histogram", "terms", "last_value").contains(op);
        String dataType = c.path("dataType").asText();
        if (keepsFieldType && expected != null && !expected.equals(dataType)) {
            problems.add(
                    where
                            + ": dataType '"
                            + dataType
                            + "' but field "
                            + field
                            + " is "
                            + type.get()
                            + " ('"
                            + expected
                            + "')");
        }
        if (!keepsFieldType
                && !op.equals("min")
                && !op.equals("max")
                && !"number".equals(dataType)) {
            problems.add(
                    where + ": " + op + " yields a number, but dataType is '" + dataType + "'");
        }
        JsonNode orderBy = c.path("params").path("orderBy");
        if (orderBy.path("type").asText().equals("column")
                && !columns.contains(orderBy.path("columnId").asText())) {
            problems.add(
                    where
                            + ": orders by column '"
                            + orderBy.path("columnId").asText()
                            + "', which the layer does not have");
        }
    }

    private static String lensDataType(String mappingType) {
        if (NUMERIC.contains(mappingType)) {
            return "number";
        }
        if (DATES.contains(mappingType)) {
            return "date";
        }
        return switch (mappingType) {
            case "boolean" -> "boolean";
            case "ip" -> "ip";
            default -> "string";
        };
    }

    /** Every *Accessor(s), primaryGroups, metrics and columns[].columnId names a column. */
    private void accessors(JsonNode node, String name, String where, Set<String> columns) {
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(f -> accessors(f.getValue(), f.getKey(), where, columns));
        } else if (node.isArray()) {
            node.forEach(n -> accessors(n, name, where, columns));
        } else if (node.isTextual()
                && (name.endsWith("Accessor")
                        || name.equals("accessors")
                        || name.equals("columnId")
                        || name.equals("primaryGroups")
                        || name.equals("metrics")
                        || name.equals("secondaryGroups"))
                && !columns.contains(node.asText())) {
            problems.add(
                    where
                            + ": visualization."
                            + name
                            + " names column '"
                            + node.asText()
                            + "', which no layer has");
        }
    }

    // --- saved searches ------------------------------------------------------------------------

    private void search(String where, JsonNode o) {
        JsonNode a = o.path("attributes");
        Optional<JsonNode> source =
                parse(
                        where,
                        "searchSourceJSON",
                        a.path("kibanaSavedObjectMeta").path("searchSourceJSON").asText());
        if (source.isEmpty()) {
            return;
        }
        String indexRef = source.get().path("indexRefName").asText();
        Optional<String> dataViewId = reference(o, indexRef);
        if (indexRef.isEmpty() || dataViewId.isEmpty()) {
            problems.add(where + ": the search source names no data view reference (indexRefName)");
            return;
        }
        Optional<IndexTemplateFields> template = templateOf(dataViewId.get());
        if (template.isEmpty()) {
            return; // reported with the data view
        }
        for (JsonNode column : a.path("columns")) {
            field(where + " column", template.get(), column.asText(), null);
        }
        for (JsonNode sort : a.path("sort")) {
            field(where + " sort", template.get(), sort.path(0).asText(), AGGREGATABLE);
        }
        kql(where + " query", template.get(), source.get().path("query"));
        filters(where, template.get(), source.get().path("filter"));
    }

    // --- dashboards ----------------------------------------------------------------------------

    private void dashboard(String where, JsonNode o) {
        JsonNode a = o.path("attributes");
        Optional<JsonNode> panels = parse(where, "panelsJSON", a.path("panelsJSON").asText());
        if (panels.isEmpty()) {
            return;
        }
        if (!panels.get().isArray() || panels.get().isEmpty()) {
            problems.add(where + ": panelsJSON holds no panels");
            return;
        }
        Set<String> indexes = new HashSet<>();
        for (JsonNode p : panels.get()) {
            String index = p.path("panelIndex").asText();
            String panelWhere = where + " panel " + index;
            if (index.isEmpty() || !indexes.add(index)) {
                problems.add(panelWhere + ": a panel needs a unique panelIndex");
            }
            JsonNode grid = p.path("gridData");
            int x = grid.path("x").asInt(-1);
            int w = grid.path("w").asInt(0);
            if (x < 0
                    || w <= 0
                    || x + w > 48
                    || grid.path("y").asInt(-1) < 0
                    || grid.path("h").asInt(0) <= 0
                    || !grid.path("i").asText().equals(index)) {
                problems.add(
                        panelWhere
                                + ": gridData "
                                + grid
                                + " is outside the 48-column grid"
                                + " or does not name the panel");
            }
            String refName = index + ":" + p.path("panelRefName").asText();
            Optional<JsonNode> ref = referenceNode(o, refName);
            if (ref.isEmpty()) {
                problems.add(panelWhere + ": no reference named '" + refName + "'");
            } else if (!ref.get().path("type").asText().equals(p.path("type").asText())) {
                problems.add(
                        panelWhere
                                + ": panel type "
                                + p.path("type").asText()
                                + " but its reference is a "
                                + ref.get().path("type").asText());
            }
        }
        JsonNode controls = a.path("controlGroupInput");
        if (controls.isObject()) {
            parse(where, "controlGroupInput.panelsJSON", controls.path("panelsJSON").asText())
                    .ifPresent(
                            c ->
                                    c.fields()
                                            .forEachRemaining(
                                                    control ->
                                                            control(
                                                                    where
                                                                            + " control "
                                                                            + control.getKey(),
                                                                    o,
                                                                    control)));
        }
        parse(
                where,
                "searchSourceJSON",
                a.path("kibanaSavedObjectMeta").path("searchSourceJSON").asText());
    }

    private void control(String where, JsonNode dashboard, Map.Entry<String, JsonNode> control) {
        JsonNode input = control.getValue().path("explicitInput");
        String refName = "controlGroup_" + control.getKey() + ":optionsListDataView";
        Optional<String> dataViewId = reference(dashboard, refName);
        if (dataViewId.isEmpty()) {
            problems.add(where + ": no reference named '" + refName + "' to its data view");
            return;
        }
        templateOf(dataViewId.get())
                .ifPresent(t -> field(where, t, input.path("fieldName").asText(), AGGREGATABLE));
    }

    // --- fields, queries and filters -----------------------------------------------------------

    private Optional<String> field(
            String where, IndexTemplateFields t, String field, Set<String> fits) {
        return field(where, "field", t, field, fits);
    }

    /** The field's mapping type; a problem when it is missing or does not fit (null: any type). */
    private Optional<String> field(
            String where, String what, IndexTemplateFields t, String field, Set<String> fits) {
        Optional<String> type = t.typeOf(field);
        if (type.isEmpty()) {
            problems.add(
                    where + ": " + what + " '" + field + "' is not in index template " + t.name());
        } else if (type.get().equals("object")) {
            problems.add(
                    where
                            + ": "
                            + what
                            + " '"
                            + field
                            + "' is an object in "
                            + t.name()
                            + ", not a field");
        } else if (fits != null && !fits.contains(type.get())) {
            problems.add(
                    where
                            + ": "
                            + what
                            + " '"
                            + field
                            + "' is "
                            + type.get()
                            + " in "
                            + t.name()
                            + ", which does not fit (needs one of "
                            + new java.util.TreeSet<>(fits)
                            + ")");
        }
        return type;
    }

    /** Field names in a KQL query ({@code field : value}); quoted values are skipped. */
    static List<String> kqlFields(String query) {
        Matcher m = KQL_FIELD.matcher(QUOTED.matcher(query).replaceAll("\"\""));
        List<String> fields = new ArrayList<>();
        while (m.find()) {
            fields.add(m.group(1));
        }
        return fields;
    }

    private void kql(String where, IndexTemplateFields t, JsonNode query) {
        if (!query.path("language").asText("kuery").equals("kuery")) {
            return;
        }
        for (String f : kqlFields(query.path("query").asText(""))) {
            field(where, "KQL field", t, f, null);
        }
    }

    private void filters(String where, IndexTemplateFields t, JsonNode filters) {
        for (JsonNode f : filters) {
            String key = f.path("meta").path("key").asText(null);
            if (key != null) {
                field(where + " filter", t, key, null);
            }
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    private static Optional<JsonNode> referenceNode(JsonNode o, String name) {
        for (JsonNode ref : o.path("references")) {
            if (ref.path("name").asText().equals(name)) {
                return Optional.of(ref);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> reference(JsonNode o, String name) {
        return referenceNode(o, name).map(r -> r.path("id").asText());
    }

    private Optional<JsonNode> parse(String where, String what, String json) {
        try {
            return Optional.of(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            problems.add(where + ": " + what + " is not JSON: " + e.getOriginalMessage());
            return Optional.empty();
        }
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new HashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return Set.copyOf(all);
    }
}
