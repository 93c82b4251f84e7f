package io.echolot.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.echolot.alert.Alert;
import io.echolot.alert.AlertState;
import io.echolot.alert.AlertType;
import io.echolot.alert.Severity;
import io.echolot.json.Json;
import io.echolot.model.Platform;
import io.echolot.model.TopMention;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    @Test
    void everyFormatCarriesTheDriversEscaped() throws Exception {
        Alert explained = WebhookTestAlerts.explainedGermanBurst("a-3");

        JsonNode doc = read(WebhookPayloads.render(WebhookFormat.JSON, explained, "de"));
        try (InputStream in =
                getClass().getResourceAsStream("/echolot/schemas/alert-v1.schema.json")) {
            JsonSchema schema =
                    JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
            assertThat(schema.validate(doc)).isEmpty();
        }
        assertThat(doc.at("/evidence/drivers/0/kind").asText()).isEqualTo("phrase");
        assertThat(doc.at("/evidence/drivers/0/value").asText()).isEqualTo("sohle loest");
        assertThat(doc.at("/evidence/drivers/0/observed").asLong()).isEqualTo(30);
        assertThat(doc.at("/evidence/drivers/0/expected").asDouble()).isEqualTo(0.4);
        assertThat(doc.at("/evidence/drivers/0/score").asDouble()).isEqualTo(151.2);
        assertThat(doc.at("/evidence/drivers/1/value").asText())
                .isEqualTo("<!channel> *boss* [x](https://evil.example)");
        assertThat(doc.at("/evidence/top_reach/0/reach").asLong()).isEqualTo(120_000);
        assertThat(doc.at("/evidence/first_time_author_share").asDouble()).isEqualTo(0.25);
        assertThat(doc.at("/evidence/coordinated_share").asDouble()).isEqualTo(0.125);
        // alerts without drivers have no such fields
        assertThat(
                        read(WebhookPayloads.render(WebhookFormat.JSON, german, "de"))
                                .at("/evidence")
                                .has("drivers"))
                .isFalse();

        JsonNode slack = read(WebhookPayloads.render(WebhookFormat.SLACK, explained, "de"));
        assertThat(types(slack.get("blocks")))
                .containsExactly("header", "section", "section", "section", "context");
        String drivers = slack.at("/blocks/3/text/text").asText();
        assertThat(drivers)
                .startsWith(
                        "*Treiber (beobachtet / erwartet)*\nErstautoren 25 % · koordiniert 13 %")
                .contains("\n• Wortpaar “sohle loest”: 30 / 0,4 · LLR 151")
                .contains("\n• Domain “wahrheit-news.example”: 12 / 0,0 · LLR 81")
                // a driver from a post cannot mention the channel or forge a link
                .contains("&lt;!channel&gt;")
                .doesNotContain("<!channel>");

        JsonNode teams = read(WebhookPayloads.render(WebhookFormat.TEAMS, explained, "en"));
        JsonNode body = teams.at("/attachments/0/content/body");
        List<String> texts = new ArrayList<>();
        List<String> facts = new ArrayList<>();
        body.forEach(
                b -> {
                    if (b.has("text")) {
                        texts.add(b.get("text").asText());
                    }
                    if (b.has("facts")) {
                        b.get("facts")
                                .forEach(
                                        f ->
                                                facts.add(
                                                        f.get("title").asText()
                                                                + " = "
                                                                + f.get("value").asText()));
                    }
                });
        assertThat(texts)
                .contains(
                        "Drivers (observed / expected)",
                        "first-time authors 25% · coordinated 13%");
        assertThat(facts).contains("phrase “sohle loest” = 30 / 0.4 · LLR 151");
        String author =
                facts.stream().filter(f -> f.startsWith("author")).findFirst().orElseThrow();
        // Teams markdown in a driver is shown as written, not rendered as a link or bold
        assertThat(author).contains("\\*boss\\*").doesNotContain("[x](https");
    }

    private static List<String> types(JsonNode blocks) {
        List<String> t = new ArrayList<>();
        blocks.forEach(b -> t.add(b.get("type").asText()));
        return t;
    }

    private static JsonNode read(byte[] bytes) throws Exception {
        return Json.mapper().readTree(bytes);
    }

    // --- hostile input ---------------------------------------------------------------------

    private static final String FORMATTING = "*bold* _it_ ~s~ `code`";
    private static final String EVIL_LINK = "https://a|x> <!channel>";
    private static final String SAFE_EVIL_LINK = "https://a%7Cx%3E%20%3C!channel%3E";
    private static final String GOOD_LINK = "https://forum.example/t/2?a=1&b=(2)";
    private static final String SAFE_GOOD_LINK = "https://forum.example/t/2?a=1&b=%282%29";

    /** An alert whose every input-derived field tries to break out of its place. */
    static Alert hostile() {
        return Alert.builder()
                .id("adverse-😡線€-<@U123>|<!here>\n*id*")
                .version(3)
                .type(AlertType.ADVERSE_EVENT)
                .state(AlertState.OPEN)
                .severity(Severity.CRITICAL)
                .brand(FORMATTING + " <!channel> @here")
                .topic("[x](https://evil)\n\u202Eevil\u202C <@U123>")
                .openedAt(WebhookTestAlerts.WINDOW_START)
                .updatedAt(WebhookTestAlerts.WINDOW_END)
                .windowStart(WebhookTestAlerts.WINDOW_START)
                .windowEnd(WebhookTestAlerts.WINDOW_END)
                .observed(5)
                .expected(0.5)
                .score(0.99)
                .topMentions(
                        List.of(
                                new TopMention(
                                        "m-1",
                                        EVIL_LINK,
                                        Platform.X,
                                        "<@U999>",
                                        "click [x](https://evil) "
                                                + FORMATTING
                                                + " <!here>\nline two"
                                                + " \u200Frtl\u202E mark \uD800 lone &amp; {{DATE(x)}}",
                                        10,
                                        WebhookTestAlerts.WINDOW_START),
                                new TopMention(
                                        "m-2",
                                        "javascript:alert(1)",
                                        Platform.FORUM,
                                        "b",
                                        "x".repeat(10_000),
                                        9,
                                        WebhookTestAlerts.WINDOW_START),
                                new TopMention(
                                        "m-3",
                                        GOOD_LINK,
                                        Platform.FORUM,
                                        "c",
                                        "<https://evil|harmless> " + "\u202E".repeat(50),
                                        8,
                                        WebhookTestAlerts.WINDOW_START)))
                .platforms(Map.of("x", 5L))
                .build();
    }

    @Test
    void slackMessageOfHostileInputIsValidAndLinksOnlyToThePostsHttpUrls() throws Exception {
        byte[] bytes = WebhookPayloads.render(WebhookFormat.SLACK, hostile(), "en");
        JsonNode msg = read(bytes);

        List<String> texts = strings(msg);
        assertThat(texts).allSatisfy(WebhookPayloadsTest::isCleanText);
        // Slack's control sequences only as our links: <https://…|…>
        String all = String.join("\u0000", texts);
        assertThat(all).doesNotContain("<!", "<@", "<#", "javascript");
        assertThat(linksIn(all, Pattern.compile("<([^>|]*)\\|")))
                .containsExactly(SAFE_EVIL_LINK, SAFE_GOOD_LINK.replace("&", "&amp;"));
        assertThat(all.replaceAll("<https?://[^\\s<>|]*\\|[^<>]*>", "")).doesNotContain("<", ">");

        List<String> fields = new ArrayList<>();
        msg.at("/blocks/1/fields").forEach(f -> fields.add(f.get("text").asText()));
        assertThat(fields)
                .contains(
                        "*Brand*\n∗bold∗ ˍitˍ ∼s∼ ˋcodeˋ &lt;!channel&gt; @\u2060here",
                        "*Topic*\n[x](https://evil) evil &lt;@U123&gt;");
        assertThat(msg.at("/blocks/1/fields/0/verbatim").asBoolean()).isTrue();
        String posts = msg.at("/blocks/2/text/text").asText();
        assertThat(posts)
                .startsWith("*Top posts*\n• <" + SAFE_EVIL_LINK + "|click [x](https://evil)")
                .contains(
                        "∗bold∗ ˍitˍ ∼s∼ ˋcodeˋ &lt;!here&gt; line two rtl mark \uFFFD lone &amp;amp;")
                .contains("\n• " + "x".repeat(139) + "… (forum)")
                .hasSizeLessThanOrEqualTo(3000);
        assertThat(msg.at("/blocks/0/text/text").asText())
                .hasSizeLessThanOrEqualTo(150)
                .doesNotContain("<", ">");
        assertThat(msg.at("/blocks/3/elements/0/text").asText())
                .isEqualTo("echolot · adverse-😡線€-&lt;@U123&gt;|&lt;!here&gt; ∗id∗ · v3");
        assertThat(msg.get("unfurl_links").asBoolean()).isFalse();
    }

    @Test
    void teamsCardOfHostileInputIsValidAndLinksOnlyToThePostsHttpUrls() throws Exception {
        JsonNode msg = read(WebhookPayloads.render(WebhookFormat.TEAMS, hostile(), "en"));
        JsonNode card = msg.at("/attachments/0/content");

        List<String> texts = strings(msg);
        assertThat(texts).allSatisfy(WebhookPayloadsTest::isCleanText);
        String all = String.join("\u0000", texts);
        // markdown links: an unescaped "](" — only ours, to the posts' http(s) URLs
        assertThat(linksIn(all, Pattern.compile("(?<!\\\\)\\]\\(([^)]*)\\)")))
                .containsExactly(SAFE_EVIL_LINK, SAFE_GOOD_LINK);
        assertThat(card.at("/actions/0/type").asText()).isEqualTo("Action.OpenUrl");
        assertThat(card.at("/actions/0/url").asText()).isEqualTo(SAFE_EVIL_LINK);
        assertThat(card.get("actions")).hasSize(1);
        assertThat(all).doesNotContain("javascript");

        assertThat(card.at("/body/0/text").asText())
                .isEqualTo(
                        "Possible adverse event report: \\*bold\\* \\_it\\_ \\~s\\~"
                                + " \\`code\\` \\<\\!channel\\> @here / \\[x\\]\\(https://evil\\)"
                                + " evil \\<@U123\\> (opened)");
        JsonNode facts = card.at("/body/1/facts");
        assertThat(facts.get(0).get("value").asText())
                .isEqualTo("\\*bold\\* \\_it\\_ \\~s\\~ \\`code\\` \\<\\!channel\\> @here");
        assertThat(card.at("/body/3/text").asText())
                .startsWith("- [click \\[x\\]\\(https://evil\\) \\*bold\\*")
                .contains("\\&amp; \\{\\{DATE\\(x\\)\\}\\}](" + SAFE_EVIL_LINK + ") (x)");
        assertThat(card.at("/body/4/text").asText())
                .isEqualTo("- " + "x".repeat(139) + "… (forum)");
        assertThat(card.at("/body/5/text").asText())
                .isEqualTo("- [\\<https://evil\\|harmless\\> ](" + SAFE_GOOD_LINK + ") (forum)");
    }

    @Test
    void hugeInputIsCutToWhatChatsTake() throws Exception {
        String huge = "&".repeat(10_000);
        Alert a = WebhookTestAlerts.germanBurst(huge, 1, AlertState.OPEN);
        Alert big =
                a.toBuilder()
                        .brand(huge)
                        .topic(huge)
                        .topMentions(
                                List.of(
                                        new TopMention(
                                                "m",
                                                "https://x.example/" + "a".repeat(900),
                                                Platform.X,
                                                "a",
                                                huge,
                                                1,
                                                a.windowStart()),
                                        new TopMention(
                                                "m",
                                                "https://x.example/" + "b".repeat(900),
                                                Platform.X,
                                                "a",
                                                huge,
                                                1,
                                                a.windowStart()),
                                        new TopMention(
                                                "m",
                                                "https://x.example/" + "c".repeat(900),
                                                Platform.X,
                                                "a",
                                                huge,
                                                1,
                                                a.windowStart())))
                        .build();

        byte[] slack = WebhookPayloads.render(WebhookFormat.SLACK, big, "en");
        JsonNode msg = read(slack);
        assertThat(msg.at("/blocks/0/text/text").asText()).hasSizeLessThanOrEqualTo(150);
        msg.at("/blocks/1/fields")
                .forEach(f -> assertThat(f.get("text").asText()).hasSizeLessThanOrEqualTo(2000));
        // as many whole posts as fit into Slack's 3,000 characters
        String posts = msg.at("/blocks/2/text/text").asText();
        assertThat(posts).hasSizeLessThanOrEqualTo(3000).contains("• <https://x.example/aaa");
        assertThat(posts.split("\n•", -1).length - 1).isBetween(1, 2);
        assertThat(slack.length).isLessThan(12_000);

        byte[] teams = WebhookPayloads.render(WebhookFormat.TEAMS, big, "en");
        read(teams);
        assertThat(teams.length).isLessThan(12_000);
    }

    @Test
    void jsonDocumentKeepsTheReadableHostileId() throws Exception {
        JsonNode doc = read(WebhookPayloads.render(WebhookFormat.JSON, hostile(), "en"));
        assertThat(doc.get("id").asText()).isEqualTo(hostile().id());
    }

    /** No control characters but our line breaks, no bidi controls, no unpaired surrogates. */
    private static void isCleanText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            assertThat(c != '\n' && Character.isISOControl(c)).as("control in %s", s).isFalse();
            assertThat(
                            "\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069"
                                    .indexOf(c))
                    .as("bidi control in %s", s)
                    .isNegative();
            if (Character.isHighSurrogate(c)) {
                assertThat(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                        .as("unpaired surrogate in %s", s)
                        .isTrue();
                i++;
            } else {
                assertThat(Character.isLowSurrogate(c)).as("unpaired surrogate in %s", s).isFalse();
            }
        }
    }

    private static List<String> linksIn(String text, Pattern link) {
        List<String> out = new ArrayList<>();
        Matcher m = link.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        }
        node.forEach(child -> out.addAll(strings(child)));
        return out;
    }
}
