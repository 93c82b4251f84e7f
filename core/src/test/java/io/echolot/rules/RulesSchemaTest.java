package io.echolot.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class RulesSchemaTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void exampleRulesFollowTheSchema() throws Exception {
        JsonNode example;
        try (InputStream in =
                RulesSchemaTest.class.getResourceAsStream("/echolot/rules/example-rules.yaml")) {
            example = YAML.readTree(in);
        }

        assertThat(RulesSchema.problems(example)).isEmpty();
    }

    @Test
    void schemaRejectsWhatTheLoaderRejects() throws Exception {
        JsonNode rules =
                YAML.readTree(
                        """
                        brands:
                          - id: Acme Corp
                            names: []
                            alias: [x]
                            pharma: "yes"
                        topics:
                          preis:
                            keywords: [zu teuer, "a*b"]
                        """);

        assertThat(RulesSchema.problems(rules))
                .containsExactly(
                        "topics.preis.keywords[0]: \"zu teuer\" has several words: put it under"
                                + " 'phrases'",
                        "topics.preis.keywords[1]: \"a*b\" may have '*' only at its end, right"
                                + " after a letter or digit (prefix match)",
                        "brand 'Acme Corp' at brands[0].id: \"Acme Corp\" may only hold lower-case"
                                + " letters, digits, '-' and '_', starting with a letter or digit",
                        "brand 'Acme Corp' at brands[0].names: is empty: give at least one name",
                        "brand 'Acme Corp' at brands[0].pharma: must be true or false, not \"yes\"",
                        "brand 'Acme Corp' at brands[0]: unknown key 'alias' (known keys: id,"
                                + " names, aliases, handles, hashtags, exclude, exclude_window,"
                                + " pharma, topics, care)");
    }
}
