package io.echolot.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.echolot.model.Platform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.util.TimeUtils;

/**
 * Reads the YAML tree by hand, so that every problem is reported with the brand or topic it is in.
 */
final class RulesParser {

    private static final YAMLMapper YAML =
            YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Pattern HANDLE = Pattern.compile("[A-Za-z0-9_.]+");

    private static final List<String> ROOT_KEYS = List.of("version", "topics", "brands");
    private static final List<String> BRAND_KEYS =
            List.of(
                    "id",
                    "names",
                    "aliases",
                    "handles",
                    "hashtags",
                    "exclude",
                    "exclude_window",
                    "pharma",
                    "topics",
                    "care");
    private static final List<String> CARE_KEYS =
            List.of("accounts", "items", "sla", "high_priority");
    private static final List<String> SLA_KEYS = List.of("normal", "high");
    private static final List<String> HIGH_KEYS =
            List.of("min_followers", "topics", "customer_tiers");
    private static final List<String> TOPIC_KEYS = List.of("keywords", "phrases", "hashtags");

    private final String source;
    private final List<String> problems = new ArrayList<>();

    private RulesParser(String source) {
        this.source = source;
    }

    static BrandRules parse(String yaml, String source) {
        return new RulesParser(source).read(yaml);
    }

    private BrandRules read(String yaml) {
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
        if (!root.isObject()) {
            throw new RulesException(
                    source, List.of("the top level must be a mapping with 'brands' and 'topics'"));
        }
        unknownKeys(root, ROOT_KEYS, "top level");
        JsonNode version = root.get("version");
        if (version != null && !(version.isInt() && version.intValue() == 1)) {
            problems.add("'version' must be 1, not " + version);
        }

        Map<String, Topic> topics = topics(root.get("topics"), "global topics");

        List<Brand> brands = new ArrayList<>();
        JsonNode brandsNode = root.get("brands");
        if (brandsNode == null || brandsNode.isNull()) {
            problems.add("'brands' is missing: list at least one brand");
        } else if (!brandsNode.isArray()) {
            problems.add("'brands' must be a list of brands");
        } else {
            Set<String> ids = new HashSet<>();
            int index = 0;
            for (JsonNode b : brandsNode) {
                index++;
                Brand brand = brand(b, index);
                if (brand != null && !ids.add(brand.id())) {
                    problems.add("brand '" + brand.id() + "': duplicate id (brand #" + index + ")");
                }
                if (brand != null) {
                    brands.add(brand);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new RulesException(source, problems);
        }
        return new BrandRules(brands, topics);
    }

    private Brand brand(JsonNode node, int index) {
        if (!node.isObject()) {
            problems.add("brand #" + index + ": must be a mapping with 'id' and 'names'");
            return null;
        }
        String id = text(node.get("id"));
        String where;
        if (id == null || id.isBlank()) {
            where = "brand #" + index;
            problems.add(where + ": 'id' is missing");
            id = null;
        } else {
            where = "brand '" + id + "'";
            if (!ID.matcher(id).matches()) {
                problems.add(where + ": id must be lower-case letters, digits, '-' or '_'");
            }
        }
        unknownKeys(node, BRAND_KEYS, where);
        List<String> names = terms(node, "names", where, TermKind.WORDS);
        if (node.has("names") && names.isEmpty()) {
            problems.add(where + ": 'names' is empty: give at least one name");
        } else if (!node.has("names")) {
            problems.add(where + ": 'names' is missing: give at least one name");
        }
        List<String> aliases = terms(node, "aliases", where, TermKind.WORDS);
        List<String> handles = terms(node, "handles", where, TermKind.HANDLE);
        List<String> hashtags = terms(node, "hashtags", where, TermKind.HASHTAG);
        List<String> exclude = terms(node, "exclude", where, TermKind.WORDS);
        int window = Brand.DEFAULT_EXCLUDE_WINDOW;
        JsonNode w = node.get("exclude_window");
        if (w != null) {
            if (w.isInt() && w.intValue() >= 0) {
                window = w.intValue();
            } else {
                problems.add(
                        where + ": 'exclude_window' must be a number of characters >= 0, not " + w);
            }
        }
        boolean pharma = false;
        JsonNode p = node.get("pharma");
        if (p != null) {
            if (p.isBoolean()) {
                pharma = p.booleanValue();
            } else {
                problems.add(where + ": 'pharma' must be true or false, not " + p);
            }
        }
        Map<String, Topic> topics = topics(node.get("topics"), where + " topics");
        CareRules care = care(node.get("care"), handles, where + " care");
        return id == null
                ? null
                : new Brand(
                        id, names, aliases, handles, hashtags, exclude, window, pharma, topics,
                        care);
    }

    /** The care block; absent, the defaults with the brand's handles on every platform. */
    private CareRules care(JsonNode node, List<String> handles, String where) {
        CareRules defaults = CareRules.defaults(handles);
        if (node == null || node.isNull()) {
            return defaults;
        }
        if (!node.isObject()) {
            problems.add(
                    where + ": must be a mapping with 'accounts', 'items', 'sla', 'high_priority'");
            return defaults;
        }
        unknownKeys(node, CARE_KEYS, where);
        Map<String, List<String>> accounts = new LinkedHashMap<>(defaults.accounts());
        JsonNode acc = node.get("accounts");
        if (acc != null && !acc.isNull()) {
            if (!acc.isObject()) {
                problems.add(
                        where
                                + ": 'accounts' must map a platform (x, facebook, … or any) to a"
                                + " list of handles or author ids");
            } else {
                accounts.clear();
                Iterator<Map.Entry<String, JsonNode>> it = acc.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String platform = e.getKey();
                    if (!platform.equals(CareRules.ANY_PLATFORM)) {
                        try {
                            platform = Platform.fromWireName(platform).wireName();
                        } catch (IllegalArgumentException ex) {
                            problems.add(
                                    where
                                            + ": accounts: unknown platform '"
                                            + e.getKey()
                                            + "' (use a mention platform such as x, facebook,"
                                            + " instagram, or 'any')");
                            continue;
                        }
                    }
                    accounts.put(
                            platform, terms(acc, e.getKey(), where + " accounts", TermKind.HANDLE));
                }
            }
        }
        Duration normal = defaults.slaNormal();
        Duration high = defaults.slaHigh();
        JsonNode sla = node.get("sla");
        if (sla != null && !sla.isNull()) {
            if (!sla.isObject()) {
                problems.add(
                        where + ": 'sla' must be a mapping like {normal: 60 min, high: 15 min}");
            } else {
                unknownKeys(sla, SLA_KEYS, where + " sla");
                normal = duration(sla.get("normal"), normal, where + " sla normal");
                high = duration(sla.get("high"), high, where + " sla high");
                if (high.compareTo(normal) > 0) {
                    problems.add(
                            where
                                    + ": the high-priority SLA ("
                                    + high
                                    + ") must not be longer than the normal one ("
                                    + normal
                                    + ")");
                }
            }
        }
        long followers = defaults.highFollowers();
        List<String> highTopics = defaults.highTopics();
        List<String> tiers = defaults.highTiers();
        JsonNode hp = node.get("high_priority");
        if (hp != null && !hp.isNull()) {
            if (!hp.isObject()) {
                problems.add(
                        where
                                + ": 'high_priority' must be a mapping with 'min_followers',"
                                + " 'topics', 'customer_tiers'");
            } else {
                unknownKeys(hp, HIGH_KEYS, where + " high_priority");
                JsonNode f = hp.get("min_followers");
                if (f != null) {
                    if (f.canConvertToLong() && f.asLong() >= 0) {
                        followers = f.asLong();
                    } else {
                        problems.add(
                                where + ": 'min_followers' must be a whole number >= 0, not " + f);
                    }
                }
                if (hp.has("topics")) {
                    highTopics = terms(hp, "topics", where + " high_priority", TermKind.KEYWORD);
                }
                if (hp.has("customer_tiers")) {
                    tiers = terms(hp, "customer_tiers", where + " high_priority", TermKind.KEYWORD);
                }
            }
        }
        CareRules.Items items = defaults.items();
        JsonNode it = node.get("items");
        if (it != null && !it.isNull()) {
            try {
                items = CareRules.Items.valueOf(it.asText().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(
                        where
                                + ": 'items' must be 'addressed' (posts that address the brand)"
                                + " or 'all' (also every question or negative post), not "
                                + it);
            }
        }
        return new CareRules(accounts, items, normal, high, followers, highTopics, tiers);
    }

    private Duration duration(JsonNode node, Duration dflt, String where) {
        if (node == null || node.isNull()) {
            return dflt;
        }
        try {
            Duration d = TimeUtils.parseDuration(node.asText());
            if (d.isZero() || d.isNegative()) {
                problems.add(where + ": must be longer than zero, not '" + node.asText() + "'");
                return dflt;
            }
            return d;
        } catch (RuntimeException e) {
            problems.add(
                    where
                            + ": a duration like '60 min', '15 min' or '4 h', not '"
                            + node.asText()
                            + "'");
            return dflt;
        }
    }

    private Map<String, Topic> topics(JsonNode node, String where) {
        Map<String, Topic> topics = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return topics;
        }
        if (!node.isObject()) {
            problems.add(where + ": must be a mapping of topic id to keywords, phrases, hashtags");
            return topics;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String id = e.getKey();
            String at = (where.equals("global topics") ? "" : where + ": ") + "topic '" + id + "'";
            if (!ID.matcher(id).matches()) {
                problems.add(at + ": id must be lower-case letters, digits, '-' or '_'");
            }
            JsonNode t = e.getValue();
            if (!t.isObject()) {
                problems.add(at + ": must be a mapping with 'keywords', 'phrases' or 'hashtags'");
                continue;
            }
            unknownKeys(t, TOPIC_KEYS, at);
            List<String> keywords = terms(t, "keywords", at, TermKind.KEYWORD);
            List<String> phrases = terms(t, "phrases", at, TermKind.WORDS);
            List<String> hashtags = terms(t, "hashtags", at, TermKind.HASHTAG);
            if (keywords.isEmpty() && phrases.isEmpty() && hashtags.isEmpty()) {
                problems.add(at + ": has no keywords, phrases or hashtags");
            }
            topics.put(id, new Topic(id, keywords, phrases, hashtags));
        }
        return topics;
    }

    private enum TermKind {
        WORDS,
        KEYWORD,
        HANDLE,
        HASHTAG
    }

    private List<String> terms(JsonNode parent, String key, String where, TermKind kind) {
        List<String> out = new ArrayList<>();
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            problems.add(where + ": '" + key + "' must be a list, e.g. " + key + ": [\"...\"]");
            return out;
        }
        for (JsonNode item : node) {
            String term = text(item);
            if (term == null || term.isBlank()) {
                problems.add(where + ": '" + key + "' has an empty entry");
                continue;
            }
            term = term.strip();
            String problem =
                    switch (kind) {
                        case HANDLE -> {
                            term = term.startsWith("@") ? term.substring(1) : term;
                            yield HANDLE.matcher(term).matches()
                                    ? null
                                    : "handle '"
                                            + term
                                            + "' may only hold letters, digits, '_' and '.'";
                        }
                        case HASHTAG -> {
                            term = term.startsWith("#") ? term.substring(1) : term;
                            yield term.chars().allMatch(c -> TextNormalizer.isWordChar((char) c))
                                            && !term.isEmpty()
                                    ? null
                                    : "hashtag '"
                                            + term
                                            + "' may only hold letters, digits and '_'";
                        }
                        case KEYWORD ->
                                term.chars().anyMatch(Character::isWhitespace)
                                        ? "keyword '"
                                                + term
                                                + "' has several words: put it under 'phrases'"
                                        : wordsProblem(term);
                        case WORDS -> wordsProblem(term);
                    };
            if (problem != null) {
                problems.add(where + ": " + problem);
            } else if (!out.contains(term)) {
                out.add(term);
            }
        }
        return out;
    }

    private static String wordsProblem(String term) {
        int star = term.indexOf('*');
        if (star >= 0 && star != term.length() - 1) {
            return "'" + term + "': '*' is allowed only at the end (prefix match)";
        }
        String core = TextNormalizer.normalize(star >= 0 ? term.substring(0, star) : term);
        if (core.chars().noneMatch(c -> TextNormalizer.isWordChar((char) c))) {
            return "'" + term + "' has no letters or digits";
        }
        if (star >= 0 && !TextNormalizer.isWordChar(core.charAt(core.length() - 1))) {
            return "'" + term + "': '*' must follow a letter or digit";
        }
        return null;
    }

    private void unknownKeys(JsonNode node, List<String> known, String where) {
        node.fieldNames()
                .forEachRemaining(
                        k -> {
                            if (!known.contains(k)) {
                                problems.add(
                                        where
                                                + ": unknown key '"
                                                + k
                                                + "' (known keys: "
                                                + String.join(", ", known)
                                                + ")");
                            }
                        });
    }

    private static String text(JsonNode node) {
        if (node == null || !(node.isTextual() || node.isNumber())) {
            return null;
        }
        return node.asText();
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
