package io.echolot.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.ingest.MentionParser;
import io.echolot.model.Mention;
import io.echolot.testing.Mentions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MentionJsonTest {

    @Test
    void anEventWrittenByEcholotParsesBackToTheSameMention() {
        Mention m =
                Mentions.mention(
                        "x:9", "acme", List.of("price"), Instant.parse("2026-11-23T10:00:01.250Z"));
        MentionParser parser = new MentionParser(65536, Duration.ofDays(1), Clock.systemUTC());
        MentionParser.Result r = parser.parse(Mentions.eventBytes(m));
        assertThat(r.error()).isNull();
        assertThat(r.mention()).isEqualTo(m);
    }

    /** Blank references name no post: kept, every post naming "" would join one conversation. */
    @Test
    void blankReferencesAndHandlesAreAbsent() {
        String event =
                "{\"id\":\"x:1\",\"platform\":\"x\",\"created_at\":\"2026-11-23T10:00:00Z\","
                        + "\"text\":\"t\",\"author\":{\"id\":\"a\",\"handle\":\" \"},"
                        + "\"reshare_of\":\"\",\"reply_to\":\" \",\"thread_root\":\"\"}";
        MentionParser parser = new MentionParser(65536, Duration.ofDays(1), Clock.systemUTC());
        MentionParser.Result r =
                parser.parse(event.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.error()).isNull();
        Mention m = r.mention();
        assertThat(m.reshareOf()).isNull();
        assertThat(m.replyTo()).isNull();
        assertThat(m.threadRoot()).isNull();
        assertThat(m.author().handle()).isNull();
        // so the post is a conversation of its own
        assertThat(m.conversation()).isEqualTo("x:1");
    }

    /**
     * Brand and topic go into keys and document ids joined by '|' or a control character:
     * "acme|recall" with "price" would meet "acme" with "recall|price".
     */
    @Test
    void brandsAndTopicsWithASeparatorAreRefusedWithAReason() {
        MentionParser parser = new MentionParser(65536, Duration.ofDays(1), Clock.systemUTC());
        for (String field : List.of("brands", "topics")) {
            for (String bad : List.of("acme|recall", "acme\\u001frecall", "acme\\u0000x")) {
                String event =
                        "{\"id\":\"x:1\",\"platform\":\"x\",\"created_at\":"
                                + "\"2026-11-23T10:00:00Z\",\"text\":\"t\",\"author\":{\"id\":\"a\"},\""
                                + field
                                + "\":[\"ok\",\""
                                + bad
                                + "\"]}";
                MentionParser.Result r =
                        parser.parse(event.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertThat(r.mention()).as(bad).isNull();
                assertThat(r.error()).startsWith(field + " may not hold '|'").contains("acme");
            }
        }
    }

    @Test
    void theDocumentAddsEngagementTotalAndSentimentLabel() throws Exception {
        Mention base =
                Mentions.mention("x:9", "acme", List.of(), Instant.parse("2026-11-23T10:00:00Z"));
        Mention m =
                base.toBuilder()
                        .sentiment(-0.7)
                        .reshareOf(null)
                        .replyTo("x:1")
                        .threadRoot(null)
                        .brandAccount(null)
                        .build();
        JsonNode doc = Json.mapper().readTree(MentionJson.toDocument(m));
        assertThat(doc.get("sentiment_label").asText()).isEqualTo("negative");
        assertThat(doc.get("engagement").get("total").asLong()).isEqualTo(1);
        assertThat(doc.has("schema_version")).isFalse();
        assertThat(doc.get("reply_to").asText()).isEqualTo("x:1");
        assertThat(doc.get("created_at").asText()).isEqualTo("2026-11-23T10:00:00Z");
    }
}
