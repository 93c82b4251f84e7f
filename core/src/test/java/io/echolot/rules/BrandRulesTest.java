package io.echolot.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrandRulesTest {

    @Test
    void loadsTheExampleRules() {
        BrandRules rules = BrandRules.loadResource("echolot/rules/example-rules.yaml");

        assertThat(rules.brands())
                .extracting(Brand::id)
                .containsExactly("cardiofit", "strider", "bayer");
        assertThat(rules.topics()).containsOnlyKeys("preis", "lieferung");
        Brand cardiofit = rules.brand("cardiofit").orElseThrow();
        assertThat(cardiofit.pharma()).isTrue();
        assertThat(cardiofit.handles()).containsExactly("cardiofit_de");
        assertThat(cardiofit.topics()).containsOnlyKeys("wirkung", "nebenwirkung");
        Brand strider = rules.brand("strider").orElseThrow();
        assertThat(strider.pharma()).isFalse();
        assertThat(strider.topics().keySet()).containsExactly("app", "schuhe", "service");
        assertThat(rules.brand("bayer").orElseThrow().exclude()).contains("FC Bayern");
    }

    @Test
    void loadsAFileAndStripsAtAndHashFromHandlesAndHashtags(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(
                file,
                """
                brands:
                  - id: acme
                    names: [Acme]
                    handles: ["@acme_de"]
                    hashtags: ["#acmelove"]
                """);

        Brand acme = BrandRules.load(file).brands().get(0);

        assertThat(acme.handles()).containsExactly("acme_de");
        assertThat(acme.hashtags()).containsExactly("acmelove");
        assertThat(acme.pharma()).isFalse();
        assertThat(acme.excludeWindow()).isEqualTo(Brand.DEFAULT_EXCLUDE_WINDOW);
    }

    @Test
    void rejectsUnknownKeysNamingFileBrandAndKey() {
        assertThatThrownBy(
                        () ->
                                BrandRules.parse(
                                        """
                                        brands:
                                          - id: acme
                                            names: [Acme]
                                            alias: [ACME Corp]
                                        """,
                                        "acme.yaml"))
                .isInstanceOf(RulesException.class)
                .hasMessageContaining("acme.yaml")
                .hasMessageContaining("brand 'acme' at brands[0]: unknown key 'alias'")
                .hasMessageContaining("(known keys: id, names, aliases,");
    }

    @Test
    void rejectsEmptyNamesAndMissingNames() {
        RulesException e =
                parseFails(
                        """
                        brands:
                          - id: acme
                            names: []
                          - id: other
                            aliases: [Other]
                        """);

        assertThat(e.problems())
                .containsExactly(
                        "brand 'acme' at brands[0].names: is empty: give at least one name",
                        "brand 'other' at brands[1]: 'names' is missing: give at least one name");
        assertThat(e.getMessage()).startsWith("rules test.yaml: 2 problems");
    }

    @Test
    void rejectsDuplicateBrandIds() {
        RulesException e =
                parseFails(
                        """
                        brands:
                          - id: acme
                            names: [Acme]
                          - id: acme
                            names: [Acme Corp]
                        """);

        assertThat(e.problems())
                .containsExactly(
                        "brand 'acme' at brands[1].id: \"acme\" is the id of brands[0] too: give"
                                + " every brand its own id");
    }

    @Test
    void rejectsDuplicateTopicIdsWithTheirLine() {
        RulesException e =
                parseFails(
                        """
                        topics:
                          preis:
                            keywords: [preis]
                          preis:
                            keywords: [kosten]
                        brands:
                          - id: acme
                            names: [Acme]
                        """);

        assertThat(e.getMessage()).contains("Duplicate field 'preis'").contains("line 4");
    }

    @Test
    void listsEveryProblemOfTopicsAndTerms() {
        RulesException e =
                parseFails(
                        """
                        version: 2
                        topics:
                          Preis:
                            keywords: [zu teuer]
                          leer: {}
                        brands:
                          - names: [NoId]
                          - id: acme
                            names: [Acme, "  ", "a*b"]
                            pharma: yes please
                            handles: ["acme de"]
                            topics:
                              app:
                                hashtag: [acmeapp]
                        """);

        assertThat(e.problems())
                .containsExactlyInAnyOrder(
                        "version: must be 1, not 2",
                        "topics: \"Preis\" may only hold lower-case letters, digits, '-' and '_',"
                                + " starting with a letter or digit",
                        "topics.Preis.keywords[0]: \"zu teuer\" has several words: put it under"
                                + " 'phrases'",
                        "topics.leer: has no keywords, phrases or hashtags",
                        "brand #1 at brands[0]: 'id' is missing: give the brand an id such as"
                                + " 'acme'",
                        "brand 'acme' at brands[1].names[1]: \"  \" has no letters or digits",
                        "brand 'acme' at brands[1].names[2]: \"a*b\" may have '*' only at its end,"
                                + " right after a letter or digit (prefix match)",
                        "brand 'acme' at brands[1].handles[0]: \"acme de\" is not a handle: it may"
                                + " only hold letters, digits, '_' and '.'",
                        "brand 'acme' at brands[1].pharma: must be true or false, not \"yes"
                                + " please\"",
                        "brand 'acme' at brands[1].topics.app: unknown key 'hashtag' (known keys:"
                                + " keywords, phrases, hashtags)",
                        "brand 'acme' at brands[1].topics.app: has no keywords, phrases or"
                                + " hashtags");
    }

    @Test
    void rejectsEmptyFilesAndBrokenYaml() {
        assertThat(parseFails("").problems()).containsExactly("the file is empty");
        assertThat(parseFails("brands: [").getMessage())
                .contains("not valid YAML")
                .contains("line");
        assertThat(parseFails("- a\n- b").problems())
                .containsExactly(
                        "top level: must be a mapping of key: value, not [\"a\",\"b\"]: start the"
                                + " file with 'brands:' (and optionally 'version: 1' and"
                                + " 'topics:')");
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        BrandRules rules = BrandRules.loadResource("echolot/rules/example-rules.yaml");

        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(rules);
        }
        try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(rules);
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
