package io.echolot.kafka;

import static io.echolot.deadletter.DeadLetterRecordsTest.headers;
import static io.echolot.deadletter.DeadLetterRecordsTest.serializedSize;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.alert.Alert;
import io.echolot.alert.AlertState;
import io.echolot.alert.AlertType;
import io.echolot.alert.Severity;
import io.echolot.deadletter.DeadLetter;
import io.echolot.deadletter.DeadLetterRecords;
import io.echolot.deadletter.RawRecord;
import io.echolot.json.Json;
import io.echolot.json.Utf8Caps;
import io.echolot.model.Author;
import io.echolot.model.Engagement;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import io.echolot.model.TopMention;
import io.echolot.testing.Mentions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** Records for the late-mention, alert and parse dead-letter topics stay under Kafka's 1 MiB. */
class BoundedEventsTest {

    private static final int MIB = 1024 * 1024;
    private static final Instant AT = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void cutsTheTextOfAnOversizedLateMentionAndMarksIt() throws Exception {
        String text = "Ä".repeat(2 * MIB); // 4 MiB of UTF-8
        Mention huge = withText(Mentions.mention("m-1", "strider", List.of("all"), AT), text);

        ProducerRecord<byte[], byte[]> record =
                new MentionEventSerializer("late").serialize(huge, null, null);

        assertThat(record.value().length)
                .isLessThanOrEqualTo(BoundedJson.DEFAULT_MAX_BYTES)
                .isGreaterThan(BoundedJson.DEFAULT_MAX_BYTES - 64);
        assertThat(serializedSize(record)).isLessThan(MIB);
        JsonNode event = Json.mapper().readTree(record.value());
        assertThat(event.get("id").asText()).isEqualTo("m-1");
        assertThat(event.get("text").asText()).startsWith("ÄÄÄ").endsWith(Utf8Caps.MARKER);
        assertThat(headers(record))
                .containsEntry(BoundedJson.HEADER_TRUNCATED, "text")
                .containsEntry(
                        BoundedJson.HEADER_ORIGINAL_BYTES,
                        Integer.toString(
                                Json.mapper()
                                        .writeValueAsBytes(
                                                io.echolot.json.MentionJson.toEvent(huge))
                                        .length));
    }

    @Test
    void leavesAnOrdinaryLateMentionAlone() throws Exception {
        Mention m = Mentions.mention("m-2", "strider", List.of("all"), AT);

        ProducerRecord<byte[], byte[]> record =
                new MentionEventSerializer("late").serialize(m, null, null);

        assertThat(Json.mapper().readTree(record.value()).get("text").asText())
                .isEqualTo("text of m-2");
        assertThat(headers(record)).doesNotContainKey(BoundedJson.HEADER_TRUNCATED);
    }

    @Test
    void aMentionYearsOldIsStampedWithTheSendTimeSoRetentionDoesNotDeleteIt() {
        Mention old =
                Mentions.mention(
                        "m-3", "strider", List.of("all"), Instant.parse("2018-01-01T00:00:00Z"));

        ProducerRecord<byte[], byte[]> record =
                new MentionEventSerializer("late").serialize(old, null, old.eventTimeMillis());

        // null: the producer stamps the send time; an event-time stamp older than the topic's
        // retention would have the broker delete the record at its next retention check
        assertThat(record.timestamp()).isNull();
    }

    @Test
    void cutsTheLongestEvidenceTextsOfAnOversizedAlert() throws Exception {
        Alert alert = alert("a-1", "x".repeat(700_000), "y".repeat(600_000));

        ProducerRecord<byte[], byte[]> record =
                new AlertEventSerializer("alerts").serialize(alert, null, null);

        assertThat(record.value().length).isLessThanOrEqualTo(BoundedJson.DEFAULT_MAX_BYTES);
        JsonNode json = Json.mapper().readTree(record.value());
        assertThat(json.get("id").asText()).isEqualTo("a-1");
        Map<String, String> headers = headers(record);
        assertThat(headers).containsEntry(AlertEventSerializer.HEADER_VERSION, "3");
        assertThat(headers.get(BoundedJson.HEADER_TRUNCATED))
                .contains("evidence.top_mentions[0].text");
    }

    @Test
    void capsTheOriginalBytesOfAParseDeadLetter() {
        byte[] value = new byte[5 * MIB];
        java.util.Arrays.fill(value, (byte) 'a');
        DeadLetter letter =
                new DeadLetter(
                        new RawRecord("mentions", 3, 42L, 1L, "k".getBytes(), value),
                        DeadLetter.STAGE_PARSE,
                        "event larger than 131072 bytes");

        ProducerRecord<byte[], byte[]> record =
                new DeadLetterSerializer("dlq").serialize(letter, null, null);

        assertThat(record.value()).hasSize(DeadLetterRecords.DEFAULT_MAX_VALUE_BYTES);
        assertThat(serializedSize(record)).isLessThan(MIB);
        assertThat(headers(record))
                .containsEntry(DeadLetterRecords.HEADER_STAGE, "parse")
                .containsEntry(DeadLetterRecords.HEADER_OFFSET, "42")
                .containsEntry(DeadLetterRecords.HEADER_PARTITION, "3")
                .containsEntry(DeadLetterRecords.HEADER_TRUNCATED, "value")
                .containsEntry(
                        DeadLetterRecords.HEADER_ORIGINAL_VALUE_BYTES, Integer.toString(5 * MIB))
                .containsEntry(
                        DeadLetterRecords.HEADER_REASON,
                        "event larger than 131072 bytes [value truncated from "
                                + 5 * MIB
                                + " to "
                                + DeadLetterRecords.DEFAULT_MAX_VALUE_BYTES
                                + " bytes]");
    }

    private static Mention withText(Mention m, String text) {
        return m.toBuilder()
                .text(text)
                .author(new Author("author", "handle", 1))
                .sentiment(null)
                .engagement(new Engagement(1, 0, 0, 10))
                .reshareOf(null)
                .replyTo(null)
                .threadRoot(null)
                .brandAccount(null)
                .build();
    }

    private static Alert alert(String id, String text1, String text2) {
        return Alert.builder()
                .id(id)
                .version(3)
                .type(AlertType.NEGATIVE_BURST)
                .state(AlertState.OPEN)
                .severity(Severity.HIGH)
                .brand("strider")
                .topic("all")
                .openedAt(AT)
                .updatedAt(AT.plusSeconds(900))
                .windowStart(AT)
                .windowEnd(AT.plusSeconds(900))
                .observed(42)
                .expected(6.5)
                .score(0.97)
                .topMentions(
                        List.of(
                                new TopMention(
                                        "m-1",
                                        "https://x.example/1",
                                        Platform.X,
                                        "anna",
                                        text1,
                                        1,
                                        AT),
                                new TopMention(
                                        "m-2",
                                        "https://x.example/2",
                                        Platform.X,
                                        "bernd",
                                        text2,
                                        1,
                                        AT)))
                .platforms(Map.of("x", 2L))
                .build();
    }
}
