package io.echolot.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RulesSchemaTest {

    private static JsonSchema schema() throws Exception {
        try (InputStream in =
                RulesSchemaTest.class.getResourceAsStream(
                        "/echolot/schemas/rules-v1.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    private static JsonNode yaml(String resourceOrText, boolean resource) throws Exception {
        YAMLMapper mapper = new YAMLMapper();
        if (!resource) {
            return mapper.readTree(resourceOrText);
        }
        try (InputStream in = RulesSchemaTest.class.getResourceAsStream(resourceOrText)) {
            return mapper.readTree(in);
        }
    }

    @Test
    void exampleRulesFollowTheSchema() throws Exception {
        Set<ValidationMessage> errors =
                schema().validate(yaml("/echolot/rules/example-rules.yaml", true));

        assertThat(errors).isEmpty();
    }

    @Test
    void schemaRejectsWhatTheLoaderRejects() throws Exception {
        Set<ValidationMessage> errors =
                schema().validate(
                                yaml(
                                        """
                                        brands:
                                          - id: Acme Corp
                                            names: []
                                            alias: [x]
                                            pharma: "yes"
                                        topics:
                                          preis:
                                            keywords: [zu teuer, "a*b"]
                                        """,
                                        false));

        assertThat(errors).hasSizeGreaterThanOrEqualTo(5);
    }
}
