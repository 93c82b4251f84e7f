package io.echolot.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.echolot.alert.Alert;
import io.echolot.alert.AlertState;
import io.echolot.serde.Json;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookPayloadsTest {

    private final Alert german = WebhookTestAlerts.germanBurst("a-1", 2, AlertState.UPDATED);
    private final Alert english = WebhookTestAlerts.englishSpike("a-2", 1);

    @Test
    void jsonIsTheAlertDocumentV1WithItsLanguage() throws Exception {
        JsonNode doc = read(WebhookPayloads.render(WebhookFormat.JSON, german, "de"));

        try (InputStream in =
                getClass().getResourceAsStream("/echolot/schemas/alert-v1.schema.json")) {
            JsonSchema schema =
                    JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
            assertThat(schema.validate(doc)).isEmpty();
        }
        assertThat(doc.get("schema_version").asInt()).isEqualTo(1);
        assertThat(doc.get("id").asText()).isEqualTo("a-1");
        assertThat(doc.get("version").asInt()).isEqualTo(2);
        assertThat(doc.get("state").asText()).isEqualTo("updated");
        assertThat(doc.get("lang").asText()).isEqualTo("de");
        assertThat(doc.at("/evidence/top_mentions/0/url").asText())
                .isEqualTo("https://x.example/strider/1");
        assertThat(read(WebhookPayloads.render(WebhookFormat.JSON, english, null)).has("lang"))
                .isFalse();
    }

    @Test
    void slackMessageHasHeaderFactsAndTopPostsAsLinksInGerman() throws Exception {
        JsonNode msg = read(WebhookPayloads.render(WebhookFormat.SLACK, german, "de"));

        assertThat(msg.get("text").asText())
                .isEqualTo("Häufung negativer Erwähnungen: strider (aktualisiert)");
        JsonNode blocks = msg.get("blocks");
        assertThat(types(blocks)).containsExactly("header", "section", "section", "context");
        assertThat(blocks.at("/0/text/type").asText()).isEqualTo("plain_text");
        List<String> fields = new ArrayList<>();
        blocks.get(1).get("fields").forEach(f -> fields.add(f.get("text").asText()));
        assertThat(fields)
                .contains(
                        "*Marke*\nstrider",
                        "*Thema*\nalle Themen",
                        "*Schweregrad*\nhoch",
                        "*Status*\naktualisiert",
                        "*Beobachtet / erwartet*\n42 / 6,5");
        String posts = blocks.at("/2/text/text").asText();
        assertThat(posts)
                .startsWith("*Top-Beiträge*\n• <https://x.example/strider/1|Die neuen Strider");
        // Slack's control characters in post texts are escaped, so a post cannot forge a link
        assertThat(posts).contains("&lt;nach&gt; einer Woche &amp; das").doesNotContain("<nach>");
        assertThat(blocks.at("/3/elements/0/text").asText()).isEqualTo("echolot · a-1 · v2");
    }

    @Test
    void slackMessageIsEnglishWhenTheAlertIsNotGerman() throws Exception {
        JsonNode msg = read(WebhookPayloads.render(WebhookFormat.SLACK, english, "en"));
        assertThat(msg.get("text").asText()).isEqualTo("Viral spike: lumen / pricing (opened)");
        assertThat(msg.at("/blocks/1/fields/4/text").asText())
                .isEqualTo("*Observed / expected*\n300 / 80.0");
        assertThat(
                        read(WebhookPayloads.render(WebhookFormat.SLACK, english, null))
                                .get("text")
                                .asText())
                .isEqualTo("Viral spike: lumen / pricing (opened)");
    }

    @Test
    void teamsMessageCarriesAnAdaptiveCard() throws Exception {
        JsonNode msg = read(WebhookPayloads.render(WebhookFormat.TEAMS, german, "de"));

        assertThat(msg.get("type").asText()).isEqualTo("message");
        JsonNode attachment = msg.at("/attachments/0");
        assertThat(attachment.get("contentType").asText())
                .isEqualTo("application/vnd.microsoft.card.adaptive");
        JsonNode card = attachment.get("content");
        assertThat(card.get("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(card.get("version").asText()).isEqualTo("1.4");
        assertThat(card.at("/body/0/text").asText())
                .isEqualTo("Häufung negativer Erwähnungen: strider (aktualisiert)");
        assertThat(card.at("/body/0/color").asText()).isEqualTo("Attention");
        JsonNode facts = card.at("/body/1/facts");
        assertThat(card.at("/body/1/type").asText()).isEqualTo("FactSet");
        assertThat(facts.get(0).get("title").asText()).isEqualTo("Marke");
        assertThat(facts.get(2).get("value").asText()).isEqualTo("hoch");
        assertThat(card.at("/body/2/text").asText()).isEqualTo("Top-Beiträge");
        assertThat(card.at("/body/3/text").asText())
                .startsWith("- [Die neuen Strider")
                .contains("](https://x.example/strider/1)");
        assertThat(card.at("/actions/0/type").asText()).isEqualTo("Action.OpenUrl");
        assertThat(card.at("/actions/0/title").asText()).isEqualTo("Beitrag öffnen");
        assertThat(card.at("/actions/0/url").asText()).isEqualTo("https://x.example/strider/1");
    }

    private static List<String> types(JsonNode blocks) {
        List<String> t = new ArrayList<>();
        blocks.forEach(b -> t.add(b.get("type").asText()));
        return t;
    }

    private static JsonNode read(byte[] bytes) throws Exception {
        return Json.mapper().readTree(bytes);
    }
}
