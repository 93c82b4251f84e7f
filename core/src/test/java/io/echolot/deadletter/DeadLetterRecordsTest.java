package io.echolot.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.json.Utf8Caps;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

public class DeadLetterRecordsTest {

    private static final int MIB = 1024 * 1024;

    /** Replay tools and users read these names: renaming a constant must not rename a header. */
    @Test
    void keepsEveryHeaderNameOfTheContractOnTheWire() throws IllegalAccessException {
        Map<String, String> names = new HashMap<>();
        for (java.lang.reflect.Field f : DeadLetterRecords.class.getFields()) {
            if (f.getName().startsWith("HEADER_")) {
                names.put(f.getName(), (String) f.get(null));
            }
        }
        assertThat(names)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.ofEntries(
                                Map.entry("HEADER_REASON", "echolot.dlq.reason"),
                                Map.entry("HEADER_STAGE", "echolot.dlq.stage"),
                                Map.entry("HEADER_TRUNCATED", "echolot.dlq.truncated"),
                                Map.entry(
                                        "HEADER_ORIGINAL_VALUE_BYTES",
                                        "echolot.dlq.original_value_bytes"),
                                Map.entry(
                                        "HEADER_ORIGINAL_KEY_BYTES",
                                        "echolot.dlq.original_key_bytes"),
                                Map.entry("HEADER_TOPIC", "echolot.dlq.topic"),
                                Map.entry("HEADER_PARTITION", "echolot.dlq.partition"),
                                Map.entry("HEADER_OFFSET", "echolot.dlq.offset"),
                                Map.entry("HEADER_TIMESTAMP", "echolot.dlq.timestamp"),
                                Map.entry("HEADER_INDEX", "echolot.dlq.index"),
                                Map.entry("HEADER_ID", "echolot.dlq.id"),
                                Map.entry("HEADER_ES_ID", "echolot.dlq.es_id"),
                                Map.entry("HEADER_OP", "echolot.dlq.op"),
                                Map.entry("HEADER_ELEMENT_TYPE", "echolot.dlq.element_type"),
                                Map.entry("HEADER_ENDPOINT", "echolot.dlq.endpoint"),
                                Map.entry("HEADER_ATTEMPTS", "echolot.dlq.attempts"),
                                Map.entry(
                                        "HEADER_IDEMPOTENCY_KEY", "echolot.dlq.idempotency_key")));
    }

    @Test
    void leavesASmallDeadLetterExactlyAsItWas() {
        byte[] value = "{\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> record =
                DeadLetterRecords.builder("dlq")
                        .key("k-1")
                        .value(value)
                        .reason("status 400 bad")
                        .stage("parse")
                        .header("echolot.dlq.offset", "17")
                        .build();

        assertThat(record.value()).isEqualTo(value);
        assertThat(record.key()).isEqualTo("k-1".getBytes(StandardCharsets.UTF_8));
        assertThat(headers(record))
                .containsEntry(DeadLetterRecords.HEADER_REASON, "status 400 bad")
                .containsEntry(DeadLetterRecords.HEADER_STAGE, "parse")
                .containsEntry("echolot.dlq.offset", "17")
                .doesNotContainKeys(
                        DeadLetterRecords.HEADER_TRUNCATED,
                        DeadLetterRecords.HEADER_ORIGINAL_VALUE_BYTES);
    }

    @Test
    void cutsAValueOfSeveralMibToTheCapAndSaysSoInTheHeaders() {
        // 3-byte characters, so the cap falls inside one
        byte[] value = "語".repeat(MIB).getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> record =
                DeadLetterRecords.builder("dlq")
                        .value(value)
                        .reason("too large")
                        .stage("x")
                        .build();

        assertThat(record.value().length)
                .isLessThanOrEqualTo(DeadLetterRecords.DEFAULT_MAX_VALUE_BYTES)
                .isGreaterThan(DeadLetterRecords.DEFAULT_MAX_VALUE_BYTES - 3);
        assertThat(record.value()).isEqualTo(Arrays.copyOf(value, record.value().length));
        assertThat(isValidUtf8(record.value())).isTrue();
        Map<String, String> headers = headers(record);
        assertThat(headers)
                .containsEntry(DeadLetterRecords.HEADER_TRUNCATED, "value")
                .containsEntry(
                        DeadLetterRecords.HEADER_ORIGINAL_VALUE_BYTES, Integer.toString(3 * MIB));
        assertThat(headers.get(DeadLetterRecords.HEADER_REASON))
                .isEqualTo(
                        "too large [value truncated from "
                                + 3 * MIB
                                + " to "
                                + record.value().length
                                + " bytes]");
        assertThat(serializedSize(record)).isLessThan(MIB);
    }

    @Test
    void capsKeyAndEveryHeaderAsValidUtf8EvenWithSurrogatePairsAtTheCut() {
        String emoji = "😀".repeat(MIB / 4);
        ProducerRecord<byte[], byte[]> record =
                DeadLetterRecords.builder("dlq")
                        .key(emoji)
                        .value(new byte[10])
                        .reason("x" + emoji)
                        .stage(emoji)
                        .header("echolot.dlq.id", "y" + emoji)
                        .build();

        assertThat(record.key().length).isLessThanOrEqualTo(DeadLetterRecords.MAX_KEY_BYTES);
        assertThat(isValidUtf8(record.key())).isTrue();
        for (Header header : record.headers()) {
            assertThat(isValidUtf8(header.value())).as(header.key()).isTrue();
        }
        Map<String, String> headers = headers(record);
        assertThat(headers.get(DeadLetterRecords.HEADER_REASON))
                .startsWith("x😀")
                .endsWith(Utf8Caps.MARKER);
        assertThat(headers.get(DeadLetterRecords.HEADER_REASON).getBytes(StandardCharsets.UTF_8))
                .hasSizeLessThanOrEqualTo(DeadLetterRecords.MAX_REASON_BYTES);
        assertThat(headers.get("echolot.dlq.id").getBytes(StandardCharsets.UTF_8))
                .hasSizeLessThanOrEqualTo(DeadLetterRecords.MAX_HEADER_BYTES);
        assertThat(headers)
                .containsEntry(DeadLetterRecords.HEADER_TRUNCATED, "key")
                .containsEntry(DeadLetterRecords.HEADER_ORIGINAL_KEY_BYTES, Integer.toString(MIB));
        assertThat(serializedSize(record)).isLessThan(64 * 1024);
    }

    @Test
    void neverThrowsOnMissingParts() {
        ProducerRecord<byte[], byte[]> record =
                DeadLetterRecords.builder("dlq").header(null, "x").header("h", null).build();

        assertThat(record.key()).isNull();
        assertThat(record.value()).isNull();
        assertThat(headers(record))
                .containsEntry(DeadLetterRecords.HEADER_REASON, "")
                .containsEntry(DeadLetterRecords.HEADER_STAGE, "")
                .containsEntry("h", "");
    }

    @Test
    void aLowerValueCapIsHonoured() {
        ProducerRecord<byte[], byte[]> record =
                DeadLetterRecords.builder("dlq")
                        .value(new byte[100_000])
                        .maxValueBytes(10_000)
                        .build();

        assertThat(record.value()).hasSize(10_000);
    }

    @Test
    void cutsTextWithoutSplittingCharacters() {
        assertThat(Utf8Caps.cap("abc", 3)).isEqualTo("abc");
        assertThat(Utf8Caps.prefix("a😀b", 4)).isEqualTo("a");
        assertThat(Utf8Caps.prefix("a😀b", 5)).isEqualTo("a😀");
        assertThat(Utf8Caps.prefix("aé", 2)).isEqualTo("a");
        assertThat(Utf8Caps.cap("x".repeat(100), 20)).isEqualTo("x".repeat(6) + Utf8Caps.MARKER);
        assertThat(Utf8Caps.utf8Length("a😀é語")).isEqualTo(1 + 4 + 2 + 3);
        assertThat(Utf8Caps.utf8Length("a\uD800"))
                .isEqualTo("a\uD800".getBytes(StandardCharsets.UTF_8).length);

        byte[] emoji = "😀😀".getBytes(StandardCharsets.UTF_8);
        for (int max = 0; max <= emoji.length; max++) {
            byte[] cut = Utf8Caps.prefix(emoji, max);
            assertThat(cut.length).isEqualTo(max / 4 * 4);
        }
        byte[] binary = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80};
        assertThat(Utf8Caps.prefix(binary, 3)).hasSize(3);
    }

    public static Map<String, String> headers(ProducerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    static boolean isValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Key, value, header keys and values: what the producer counts, without framing. */
    public static int serializedSize(ProducerRecord<byte[], byte[]> record) {
        int size =
                (record.key() == null ? 0 : record.key().length)
                        + (record.value() == null ? 0 : record.value().length);
        for (Header header : record.headers()) {
            size += header.key().length() + header.value().length;
        }
        return size;
    }
}
