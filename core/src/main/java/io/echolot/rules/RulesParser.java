package io.echolot.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.echolot.model.Platform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.util.TimeUtils;

/**
 * Loads a rules file in three steps: the YAML is validated against its JSON Schema ({@link
 * RulesSchema}); then come the checks a schema cannot make (unique brand ids; care SLAs that Flink
 * can parse, longer than zero, the high-priority one not longer than the normal one); then the
 * valid tree becomes the records. Every problem of a file is reported at once.
 */
final class RulesParser {

    private static final YAMLMapper YAML =
            YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private RulesParser() {}

    static BrandRules parse(String yaml, String source) {
        JsonNode root = read(yaml, source);
        List<String> problems = new ArrayList<>(RulesSchema.problems(root));
        problems.addAll(crossFieldProblems(root));
        if (!problems.isEmpty()) {
            throw new RulesException(source, problems);
        }
        return rules(root);
    }

    private static JsonNode read(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml == null ? "" : yaml);
        } catch (JsonProcessingException e) {
            throw new RulesException(
                    source, List.of("not valid YAML: " + e.getOriginalMessage() + location(e)));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new RulesException(source, List.of("the file is empty"));
        }
        return root;
    }

    /**
     * What the schema cannot check. Runs on a tree the schema may have rejected, so that every
     * problem is listed at once: each check skips what has the wrong shape (already reported).
     */
    private static List<String> crossFieldProblems(JsonNode root) {
        List<String> problems = new ArrayList<>();
        JsonNode brands = root.path("brands");
        if (!brands.isArray()) {
            return problems;
        }
        Map<String, Integer> firstWithId = new HashMap<>();
        for (int i = 0; i < brands.size(); i++) {
            JsonNode id = brands.get(i).path("id");
            if (id.isTextual() || id.isIntegralNumber()) {
                Integer first = firstWithId.putIfAbsent(id.asText(), i);
                if (first != null) {
                    problems.add(
                            RulesSchema.where(root, List.of("brands", i, "id"))
                                    + ": "
                                    + RulesSchema.show(id)
                                    + " is the id of brands["
                                    + first
                                    + "] too: give every brand its own id");
                }
            }
            JsonNode sla = brands.get(i).path("care").path("sla");
            if (sla.isObject()) {
                slaProblems(root, sla, List.of("brands", i, "care", "sla"), problems);
            }
        }
        return problems;
    }

    private static void slaProblems(
            JsonNode root, JsonNode sla, List<Object> at, List<String> problems) {
        int before = problems.size();
        Duration normal = checkedDuration(root, sla, at, "normal", problems);
        Duration high = checkedDuration(root, sla, at, "high", problems);
        if (problems.size() > before) {
            return;
        }
        Duration n = normal == null ? CareRules.DEFAULT_SLA_NORMAL : normal;
        Duration h = high == null ? CareRules.DEFAULT_SLA_HIGH : high;
        if (h.compareTo(n) > 0) {
            problems.add(
                    RulesSchema.where(root, at)
                            + ": the high-priority SLA ("
                            + (high == null
                                    ? minutes(h) + ", the default"
                                    : sla.get("high").asText())
                            + ") must not be longer than the normal one ("
                            + (normal == null
                                    ? minutes(n) + ", the default"
                                    : sla.get("normal").asText())
                            + ")");
        }
    }

    private static String minutes(Duration d) {
        return d.toMinutes() + " min";
    }

    /** The duration under {@code key}, null when absent or not parseable (then reported). */
    private static Duration checkedDuration(
            JsonNode root, JsonNode sla, List<Object> at, String key, List<String> problems) {
        JsonNode node = sla.get(key);
        if (node == null || !(node.isTextual() || node.isIntegralNumber())) {
            return null; // absent, empty, or of a type the schema reports
        }
        List<Object> here = new ArrayList<>(at);
        here.add(key);
        try {
            Duration d = duration(node);
            if (d.isZero() || d.isNegative()) {
                problems.add(
                        RulesSchema.where(root, here)
                                + ": "
                                + RulesSchema.show(node)
                                + " must be longer than zero");
                return null;
            }
            return d;
        } catch (RuntimeException e) {
            problems.add(
                    RulesSchema.where(root, here)
                            + ": "
                            + RulesSchema.show(node)
                            + " is not a duration: write one like '60 min', '15 min' or '4 h'");
            return null;
        }
    }

    private static Duration duration(JsonNode node) {
        return TimeUtils.parseDuration(node.asText().strip());
    }

    // From here on the tree is valid: the schema and the checks above passed.

    private static BrandRules rules(JsonNode root) {
        List<Brand> brands = new ArrayList<>();
        for (JsonNode b : root.get("brands")) {
            brands.add(brand(b));
        }
        return new BrandRules(brands, topics(root.get("topics")));
    }

    private static Brand brand(JsonNode b) {
        List<String> handles = terms(b.get("handles"), "@");
        return new Brand(
                b.get("id").asText(),
                terms(b.get("names"), ""),
                terms(b.get("aliases"), ""),
                handles,
                terms(b.get("hashtags"), "#"),
                terms(b.get("exclude"), ""),
                b.path("exclude_window").asInt(Brand.DEFAULT_EXCLUDE_WINDOW),
                b.path("pharma").asBoolean(false),
                topics(b.get("topics")),
                care(b.get("care"), handles));
    }

    /** The care block; absent, the defaults with the brand's handles on every platform. */
    private static CareRules care(JsonNode care, List<String> handles) {
        CareRules defaults = CareRules.defaults(handles);
        if (isAbsent(care)) {
            return defaults;
        }
        Map<String, List<String>> accounts = defaults.accounts();
        JsonNode acc = care.get("accounts");
        if (!isAbsent(acc)) {
            Map<String, List<String>> given = new LinkedHashMap<>();
            acc.fields()
                    .forEachRemaining(
                            e -> given.put(platform(e.getKey()), terms(e.getValue(), "@")));
            accounts = given;
        }
        JsonNode items = care.get("items");
        JsonNode sla = care.path("sla");
        Duration normal =
                isAbsent(sla.get("normal")) ? defaults.slaNormal() : duration(sla.get("normal"));
        Duration high = isAbsent(sla.get("high")) ? defaults.slaHigh() : duration(sla.get("high"));
        JsonNode hp = care.path("high_priority");
        return new CareRules(
                accounts,
                isAbsent(items)
                        ? defaults.items()
                        : CareRules.Items.valueOf(items.asText().strip().toUpperCase(Locale.ROOT)),
                normal,
                high,
                hp.path("min_followers").asLong(defaults.highFollowers()),
                hp.has("topics") ? terms(hp.get("topics"), "") : defaults.highTopics(),
                hp.has("customer_tiers")
                        ? terms(hp.get("customer_tiers"), "")
                        : defaults.highTiers());
    }

    /** A platform key as written ("X", "twitter") to its wire name, or {@code any}. */
    private static String platform(String key) {
        String k = key.strip().toLowerCase(Locale.ROOT);
        return k.equals(CareRules.ANY_PLATFORM) ? k : Platform.fromWireName(k).wireName();
    }

    private static Map<String, Topic> topics(JsonNode node) {
        Map<String, Topic> topics = new LinkedHashMap<>();
        if (!isAbsent(node)) {
            node.fields()
                    .forEachRemaining(
                            e -> {
                                JsonNode t = e.getValue();
                                topics.put(
                                        e.getKey(),
                                        new Topic(
                                                e.getKey(),
                                                terms(t.get("keywords"), ""),
                                                terms(t.get("phrases"), ""),
                                                terms(t.get("hashtags"), "#")));
                            });
        }
        return topics;
    }

    /** A list of terms, stripped, without the tolerated lead ('@', '#'), without repeats. */
    private static List<String> terms(JsonNode list, String lead) {
        List<String> out = new ArrayList<>();
        if (isAbsent(list)) {
            return out;
        }
        for (JsonNode item : list) {
            String term = item.asText().strip();
            if (!lead.isEmpty() && term.startsWith(lead)) {
                term = term.substring(lead.length());
            }
            if (!out.contains(term)) {
                out.add(term);
            }
        }
        return out;
    }

    /** A key left out or left empty ({@code key:} or {@code key: ~}): the default applies. */
    private static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " (line "
                        + e.getLocation().getLineNr()
                        + ", column "
                        + e.getLocation().getColumnNr()
                        + ")";
    }
}
