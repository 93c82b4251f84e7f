package io.echolot.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.echolot.model.Mention;
import io.echolot.rules.BrandRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The input of {@code benchmark}: many brands in the style of the example rules, and raw mention
 * events (as a feed sends them: no brands, topics, language or sentiment) written from the
 * generator's posts with one of those brands named instead of the example brand. Brands are picked
 * with a Zipf-like skew, so a few brands carry most of the volume and many a long tail, as in a
 * real customer base. Every record names exactly one brand, so every record is a counted mention.
 */
final class BenchmarkInput {

    /** The example rules whose topics every generated brand shares. */
    static final String EXAMPLE_RULES = "/echolot/rules/example-rules.yaml";

    /** Brand names the generator's posts use; each is replaced by a generated brand. */
    private static final Pattern EXAMPLE_BRAND =
            Pattern.compile("(?i)\\b(cardio[- ]?fit|strider|bayer)\\b");

    private static final Pattern HANDLE = Pattern.compile("@[A-Za-z0-9_]+");

    private static final String[] ONSETS = {
        "b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "kr", "tr",
        "pl", "gr", "st"
    };
    private static final String[] VOWELS = {"a", "e", "i", "o", "u"};
    private static final String[] CODAS = {"x", "n", "l", "r", "s", "q", "tt", "ck"};

    private final List<String> brandNames;
    private final String rulesYaml;
    private final BrandRules rules;
    private final List<byte[]> records;
    private final Instant first;
    private final Instant last;
    private final int keys;

    private BenchmarkInput(
            List<String> brandNames,
            String rulesYaml,
            BrandRules rules,
            List<byte[]> records,
            Instant first,
            Instant last,
            int keys) {
        this.brandNames = brandNames;
        this.rulesYaml = rulesYaml;
        this.rules = rules;
        this.records = records;
        this.first = first;
        this.last = last;
        this.keys = keys;
    }

    /**
     * Generates {@code mentions} records over {@code brands} brands, {@code rate} mentions per
     * second of event time from {@code start}.
     */
    static BenchmarkInput generate(
            int mentions, int brands, double rate, double skew, Instant start, long seed) {
        List<String> names = brandNames(brands, seed);
        String yaml = rulesYaml(names);
        BrandRules rules = BrandRules.parse(yaml, "generated benchmark rules");
        double[] cumulative = new double[brands];
        double sum = 0;
        for (int b = 0; b < brands; b++) {
            sum += 1.0 / Math.pow(b + 1, skew);
            cumulative[b] = sum;
        }
        MentionGenerator generator = new MentionGenerator(seed);
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<byte[]> records = new ArrayList<>(mentions);
        long stepNanos = (long) (1e9 / rate);
        Instant at = start;
        for (int i = 0; i < mentions; i++) {
            at = start.plusNanos(stepNanos * i);
            // a little disorder, well within the job's out-of-orderness
            Instant eventTime = at.minusMillis(random.nextInt(2_000));
            Mention m = generator.next(eventTime);
            String name = names.get(pick(cumulative, random.nextDouble() * sum));
            records.add(MentionGenerator.toUnlabelledEvent(rename(m, name)));
        }
        int keys = brands * (rules.topics().size() + 1);
        return new BenchmarkInput(names, yaml, rules, List.copyOf(records), start, at, keys);
    }

    /** The generated rules, in the rules file format (for {@code --rules}). */
    String rulesYaml() {
        return rulesYaml;
    }

    BrandRules rules() {
        return rules;
    }

    List<String> brandNames() {
        return brandNames;
    }

    /** The serialized events, as the Kafka topic would hold them. */
    List<byte[]> records() {
        return records;
    }

    Instant first() {
        return first;
    }

    Instant last() {
        return last;
    }

    /** The (brand, topic) keys the rules allow, the (brand, all) keys included. */
    int possibleKeys() {
        return keys;
    }

    long bytes() {
        return records.stream().mapToLong(r -> r.length).sum();
    }

    private static int pick(double[] cumulative, double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The mention with the generated brand named where the example brand was. */
    private static Mention rename(Mention m, String name) {
        String handle = handle(name);
        String text = HANDLE.matcher(m.text()).replaceAll("@" + handle);
        text = EXAMPLE_BRAND.matcher(text).replaceAll(Matcher.quoteReplacement(name));
        return m.toBuilder()
                .text(text)
                .brands(List.of())
                .topics(List.of())
                .sentiment(null)
                .threadRoot(null)
                .brandAccount(null)
                .build();
    }

    private static String handle(String name) {
        return name.toLowerCase(java.util.Locale.ROOT) + "_team";
    }

    /** Distinct invented three-syllable names (Borivex, Klatumo, ...) in a seeded order. */
    static List<String> brandNames(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Set<String> names = new LinkedHashSet<>();
        int attempts = 0;
        while (names.size() < n) {
            if (++attempts > n * 100) {
                throw new IllegalArgumentException("cannot invent " + n + " distinct brand names");
            }
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                s.append(ONSETS[random.nextInt(ONSETS.length)]);
                s.append(VOWELS[random.nextInt(VOWELS.length)]);
            }
            s.append(CODAS[random.nextInt(CODAS.length)]);
            s.setCharAt(0, Character.toUpperCase(s.charAt(0)));
            names.add(s.toString());
        }
        return List.copyOf(names);
    }

    /**
     * Rules for the brands: every topic of the example rules (global and per brand) as a global
     * topic, each brand with its name, a hashtag and an account handle; every tenth brand is a
     * pharma brand (adverse-event alerts), every fifth takes every question or negative post as a
     * care item.
     */
    static String rulesYaml(List<String> names) {
        YAMLMapper yaml = new YAMLMapper();
        JsonNode example;
        try (InputStream in = BenchmarkInput.class.getResourceAsStream(EXAMPLE_RULES)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + EXAMPLE_RULES);
            }
            example = yaml.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode root = yaml.createObjectNode();
        root.put("version", 1);
        ObjectNode topics = root.putObject("topics");
        copyTopics(example.path("topics"), topics);
        for (JsonNode b : example.path("brands")) {
            copyTopics(b.path("topics"), topics);
        }
        ArrayNode brands = root.putArray("brands");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String id = name.toLowerCase(java.util.Locale.ROOT);
            ObjectNode b = brands.addObject();
            b.put("id", id);
            b.putArray("names").add(name);
            b.putArray("handles").add(handle(name));
            b.putArray("hashtags").add(id + "check");
            b.put("pharma", i % 10 == 0);
            if (i % 5 == 0) {
                b.putObject("care").put("items", "all");
            }
        }
        try {
            return yaml.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTopics(JsonNode from, ObjectNode into) {
        for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> t = it.next();
            if (!into.has(t.getKey())) {
                into.set(t.getKey(), t.getValue().deepCopy());
            }
        }
    }

    /** Event-time span of the records. */
    Duration span() {
        return Duration.between(first, last);
    }
}
