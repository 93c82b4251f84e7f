package io.echolot.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the rules schema and the loader's own checks reject, and how they say it. */
class RulesValidationTest {

    @Test
    void rejectsBadValuesWithTheBrandThePathAndTheFix() {
        RulesException e =
                parseFails(
                        """
                        version: "1"
                        brands:
                          - id: acme
                            names: ["*", 4711]
                            hashtags: [a-b]
                            exclude_window: -1
                            pharma:
                            care:
                              accounts: {x: acme}
                              sla: {normal: 60 min, urgent: 5 min}
                              high_priority:
                                topics: [Preis, "preis*"]
                                customer_tiers: [gold, "top tier"]
                                min_followers: 1.5
                          - id: big
                            names: [Big]
                            exclude_window: 3000000000
                            care: yes
                        """);

        assertThat(e.problems())
                .containsExactly(
                        "version: must be 1, not \"1\"",
                        "brand 'acme' at brands[0].names[0]: \"*\" has no letters or digits",
                        "brand 'acme' at brands[0].names[0]: \"*\" may have '*' only at its end,"
                                + " right after a letter or digit (prefix match)",
                        "brand 'acme' at brands[0].hashtags[0]: \"a-b\" is not a hashtag: it may"
                                + " only hold letters, digits and '_'",
                        "brand 'acme' at brands[0].exclude_window: must be 0 or more, not -1",
                        "brand 'acme' at brands[0].pharma: must be true or false but has no value",
                        "brand 'acme' at brands[0].care.accounts.x: must be a list such as [a, b],"
                                + " not \"acme\"",
                        "brand 'acme' at brands[0].care.sla: unknown key 'urgent' (known keys:"
                                + " normal, high)",
                        "brand 'acme' at brands[0].care.high_priority.min_followers: must be a"
                                + " whole number, not 1.5",
                        "brand 'acme' at brands[0].care.high_priority.topics[0]: \"Preis\" may only"
                                + " hold lower-case letters, digits, '-' and '_', starting with a"
                                + " letter or digit",
                        "brand 'acme' at brands[0].care.high_priority.topics[1]: \"preis*\" may"
                                + " only hold lower-case letters, digits, '-' and '_', starting"
                                + " with a letter or digit",
                        "brand 'acme' at brands[0].care.high_priority.customer_tiers[1]: \"top"
                                + " tier\" has several words: put it under 'phrases'",
                        "brand 'big' at brands[1].exclude_window: must be 2147483647 or less, not"
                                + " 3000000000",
                        "brand 'big' at brands[1].care: must be a mapping of key: value, not"
                                + " true");
    }

    @Test
    void checksTheCareSlasInCode() {
        RulesException e =
                parseFails(
                        """
                        brands:
                          - id: a
                            names: [A]
                            care: {sla: {normal: soon, high: 0 min}}
                          - id: b
                            names: [B]
                            care: {sla: {normal: 10 min}}
                          - id: c
                            names: [C]
                            care: {sla: {normal: 1 h, high: 2 h}}
                        """);

        assertThat(e.problems())
                .containsExactly(
                        "brand 'a' at brands[0].care.sla.normal: \"soon\" is not a duration: write"
                                + " one like '60 min', '15 min' or '4 h'",
                        "brand 'a' at brands[0].care.sla.high: \"0 min\" must be longer than zero",
                        "brand 'b' at brands[1].care.sla: the high-priority SLA (15 min, the"
                                + " default) must not be longer than the normal one (10 min)",
                        "brand 'c' at brands[2].care.sla: the high-priority SLA (2 h) must not be"
                                + " longer than the normal one (1 h)");
    }

    @Test
    void reportsSchemaAndCodeProblemsTogether() {
        RulesException e =
                parseFails(
                        """
                        brands:
                          - id: acme
                            names: []
                          - id: acme
                            names: [Acme]
                        brand: typo
                        """);

        assertThat(e.problems())
                .containsExactly(
                        "brand 'acme' at brands[0].names: is empty: give at least one name",
                        "top level: unknown key 'brand' (known keys: version, topics, brands)",
                        "brand 'acme' at brands[1].id: \"acme\" is the id of brands[0] too: give"
                                + " every brand its own id");
    }

    @Test
    void namesTheMissingPartsOfTheFile() {
        assertThat(parseFails("topics: {}").problems())
                .containsExactly("top level: 'brands' is missing: list at least one brand");
        assertThat(parseFails("brands:").problems())
                .containsExactly(
                        "brands: must be a list such as [a, b] but has no value: list at least"
                                + " one brand");
        assertThat(parseFails("brands: [{id: acme, names: }]").problems())
                .containsExactly(
                        "brand 'acme' at brands[0].names: must be a list such as [a, b] but has"
                                + " no value: give at least one name");
        assertThat(parseFails("brands: [{id: Acme Corp, names: [Acme]}]").problems())
                .containsExactly(
                        "brand 'Acme Corp' at brands[0].id: \"Acme Corp\" may only hold"
                                + " lower-case letters, digits, '-' and '_', starting with a"
                                + " letter or digit");
    }

    @Test
    void acceptsWhatTheLoaderAlwaysAccepted() {
        BrandRules rules =
                BrandRules.parse(
                        """
                        topics:
                        brands:
                          - id: 4711
                            names: [4711, "Yahoo!", " Acme* "]
                            aliases:
                            handles: [" @acme ", "@acme", 12]
                            hashtags: ["#ok", nö]
                            care:
                              accounts: {X: [acme], Twitter: [acme_de], any: }
                              items: All
                              sla: {normal: PT2H, high: ~}
                              high_priority: ~
                        """,
                        "ok.yaml");

        Brand brand = rules.brands().get(0);
        assertThat(brand.id()).isEqualTo("4711");
        assertThat(brand.names()).containsExactly("4711", "Yahoo!", "Acme*");
        assertThat(brand.aliases()).isEmpty();
        assertThat(brand.handles()).containsExactly("acme", "12");
        assertThat(brand.hashtags()).containsExactly("ok", "nö");
        assertThat(rules.topics()).isEmpty();
        CareRules care = brand.care();
        // X and Twitter are the same platform: the later one wins, as before
        assertThat(care.accounts())
                .isEqualTo(Map.of("x", List.of("acme_de"), CareRules.ANY_PLATFORM, List.of()));
        assertThat(care.items()).isEqualTo(CareRules.Items.ALL);
        assertThat(care.slaNormal()).isEqualTo(Duration.ofHours(2));
        assertThat(care.slaHigh()).isEqualTo(CareRules.DEFAULT_SLA_HIGH);
        assertThat(care.highTiers()).isEqualTo(CareRules.DEFAULT_HIGH_TIERS);
    }

    @Test
    void whitespaceIsWhatJavaCallsWhitespaceAsTheLoaderAlwaysDid() {
        // a thin space splits a keyword into two words; an ideographic space around a name is
        // trimmed; a no-break space is part of the word (Character.isWhitespace)
        assertThat(
                        parseFails(
                                        "topics: {x: {keywords: [\"a\u2009b\"]}}\n"
                                                + "brands: [{id: acme, names: [Acme]}]")
                                .problems())
                .containsExactly(
                        "topics.x.keywords[0]: \"a\u2009b\" has several words: put it under"
                                + " 'phrases'");
        BrandRules rules =
                BrandRules.parse(
                        "topics: {x: {keywords: [\"a\u00A0b\"]}}\n"
                                + "brands: [{id: acme, names: [\"Acme\u3000\"],"
                                + " handles: [\"\u2003@acme\"]}]",
                        "ok.yaml");
        assertThat(rules.brands().get(0).names()).containsExactly("Acme");
        assertThat(rules.brands().get(0).handles()).containsExactly("acme");
    }

    @Test
    void messagesNeverShowTheValidatorsInternals() {
        RulesException e =
                parseFails(
                        """
                        version: [1]
                        topics: {a: {keywords: [], phrases: ~}, b: 3}
                        brands:
                          - id: {x: 1}
                            names: [[nested]]
                            care: {accounts: [x], items: 3, sla: [], high_priority: {topics: x}}
                          - 5
                        """);

        assertThat(e.problems()).isNotEmpty();
        for (String p : e.problems()) {
            assertThat(p)
                    .matches("(top level|version|topics|brands|brand (#\\d+|'[^']+') at brands).*")
                    .doesNotContain("$.", "regex", "schema", "found,", "expected");
        }
    }

    @Test
    void everyPatternInTheSchemaHasAMessageThatSaysWhatToFix() throws Exception {
        JsonNode schema;
        try (InputStream in = RulesSchema.class.getResourceAsStream(RulesSchema.RESOURCE)) {
            schema = new ObjectMapper().readTree(in);
        }
        List<String> missing = new ArrayList<>();
        collectPatternsWithoutMessage(schema, "#", missing);

        assertThat(missing).isEmpty();
    }

    private static void collectPatternsWithoutMessage(
            JsonNode node, String at, List<String> missing) {
        if (node.has("pattern") && !node.has("patternErrorMessage")) {
            missing.add(at);
        }
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            f ->
                                    collectPatternsWithoutMessage(
                                            f.getValue(), at + "/" + f.getKey(), missing));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectPatternsWithoutMessage(node.get(i), at + "/" + i, missing);
            }
        }
    }

    private static RulesException parseFails(String yaml) {
        try {
            BrandRules.parse(yaml, "test.yaml");
        } catch (RulesException e) {
            assertThat(e.source()).isEqualTo("test.yaml");
            return e;
        }
        throw new AssertionError("expected a RulesException");
    }
}
