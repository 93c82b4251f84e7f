package io.echolot.deadletter;

import io.echolot.json.Utf8Caps;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * The dead-letter record contract shared by every stage (parse, Elasticsearch, webhook), and the
 * one place that builds such records within Kafka's size limits. Every {@code echolot.dlq.*} header
 * name is declared here and nowhere else: replay tools and users read these names, so they never
 * change.
 *
 * <p>Every dead letter carries {@value #HEADER_STAGE} and {@value #HEADER_REASON}, plus
 * stage-specific {@code echolot.dlq.*} headers (below, grouped by the stages that write them). A
 * producer refuses records over {@code max.request.size} (1 MiB by default) and a broker over
 * {@code max.message.bytes}, and one refused dead letter would fail the job, so {@link
 * Builder#build()} caps every part and never throws:
 *
 * <ul>
 *   <li>the value to {@link #DEFAULT_MAX_VALUE_BYTES} (or the builder's limit): cut at a UTF-8
 *       boundary, with {@value #HEADER_TRUNCATED} naming what was cut, {@value
 *       #HEADER_ORIGINAL_VALUE_BYTES} the size before, and the reason suffixed;
 *   <li>the key to {@value #MAX_KEY_BYTES} bytes ({@value #HEADER_ORIGINAL_KEY_BYTES} then holds
 *       the size before);
 *   <li>the reason to {@value #MAX_REASON_BYTES} bytes and every other header value to {@value
 *       #MAX_HEADER_BYTES} bytes, as valid UTF-8 ending in {@link Utf8Caps#MARKER}.
 * </ul>
 *
 * Together the parts stay below 1 MiB with room for Kafka's record framing.
 */
public final class DeadLetterRecords {

    // ---- on every dead letter

    /** Why the record was refused, in words, capped at {@value #MAX_REASON_BYTES} bytes. */
    public static final String HEADER_REASON = "echolot.dlq.reason";

    /** The stage that refused the record, e.g. {@code parse}, {@code elasticsearch}. */
    public static final String HEADER_STAGE = "echolot.dlq.stage";

    /** Comma-separated parts that were cut: {@code value}, {@code key}. Absent when complete. */
    public static final String HEADER_TRUNCATED = "echolot.dlq.truncated";

    /** Size in bytes of the value before it was cut; only on truncated values. */
    public static final String HEADER_ORIGINAL_VALUE_BYTES = "echolot.dlq.original_value_bytes";

    /** Size in bytes of the key before it was cut; only on truncated keys. */
    public static final String HEADER_ORIGINAL_KEY_BYTES = "echolot.dlq.original_key_bytes";

    // ---- a Kafka record refused as read (parse and later stages of the analytics job)

    /** The topic the original record was read from. */
    public static final String HEADER_TOPIC = "echolot.dlq.topic";

    /** The partition the original record was read from. */
    public static final String HEADER_PARTITION = "echolot.dlq.partition";

    /** The offset of the original record in its partition. */
    public static final String HEADER_OFFSET = "echolot.dlq.offset";

    /** The original record's timestamp, epoch milliseconds. */
    public static final String HEADER_TIMESTAMP = "echolot.dlq.timestamp";

    // ---- an Elasticsearch document refused (stages elasticsearch and index)

    /** The index the document was meant for. */
    public static final String HEADER_INDEX = "echolot.dlq.index";

    /** The document id as the job built it (also the record key). */
    public static final String HEADER_ID = "echolot.dlq.id";

    /** The {@code _id} sent to Elasticsearch: the id, or its hash for long ids. */
    public static final String HEADER_ES_ID = "echolot.dlq.es_id";

    /** The write: {@code INDEX}, {@code UPSERT} or {@code DELETE}, to replay it as it was. */
    public static final String HEADER_OP = "echolot.dlq.op";

    /** Class of an element no document could be made of (the value is its text). */
    public static final String HEADER_ELEMENT_TYPE = "echolot.dlq.element_type";

    // ---- a webhook delivery given up (stage webhook)

    /** The name of the endpoint the alert was not delivered to. */
    public static final String HEADER_ENDPOINT = "echolot.dlq.endpoint";

    /** How many times delivery was tried. */
    public static final String HEADER_ATTEMPTS = "echolot.dlq.attempts";

    /** The {@code Idempotency-Key} the delivery was sent with, for a replay to reuse. */
    public static final String HEADER_IDEMPOTENCY_KEY = "echolot.dlq.idempotency_key";

    /** Leaves ~120 KiB of Kafka's default 1 MiB for key, headers and framing. */
    public static final int DEFAULT_MAX_VALUE_BYTES = 900 * 1024;

    public static final int MAX_KEY_BYTES = 4 * 1024;
    public static final int MAX_REASON_BYTES = 4 * 1024;
    public static final int MAX_HEADER_BYTES = 1024;

    /** Headers beyond this many are dropped, so the sum of header sizes stays bounded. */
    static final int MAX_EXTRA_HEADERS = 16;

    /** Smallest value limit accepted: a dead letter should still show what it was about. */
    static final int MIN_MAX_VALUE_BYTES = 1024;

    private DeadLetterRecords() {}

    /** A dead letter for {@code topic}. */
    public static Builder builder(String topic) {
        return new Builder(topic);
    }

    /** Collects the parts of one dead letter; {@link #build()} applies the caps. */
    public static final class Builder {
        private final String topic;
        private byte[] key;
        private byte[] value;
        private Long timestamp;
        private String stage;
        private String reason;
        private int maxValueBytes = DEFAULT_MAX_VALUE_BYTES;
        private final List<String[]> headers = new ArrayList<>();

        private Builder(String topic) {
            this.topic = topic;
        }

        public Builder key(byte[] key) {
            this.key = key;
            return this;
        }

        public Builder key(String key) {
            this.key = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Builder value(byte[] value) {
            this.value = value;
            return this;
        }

        public Builder timestamp(Long timestamp) {
            this.timestamp = timestamp;
            return this;
        }

        public Builder stage(String stage) {
            this.stage = stage;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /**
         * A stage-specific header, one of the {@code HEADER_*} names above; a {@code null} value is
         * written empty.
         */
        public Builder header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        /** Values above this are cut; at least {@value #MIN_MAX_VALUE_BYTES}. */
        public Builder maxValueBytes(int maxValueBytes) {
            this.maxValueBytes = Math.max(MIN_MAX_VALUE_BYTES, maxValueBytes);
            return this;
        }

        /** The capped record. */
        public ProducerRecord<byte[], byte[]> build() {
            List<String> truncated = new ArrayList<>(2);
            String reasonText = reason == null ? "" : reason;
            byte[] cappedValue = value;
            if (value != null && value.length > maxValueBytes) {
                cappedValue = Utf8Caps.prefix(value, maxValueBytes);
                truncated.add("value");
            }
            byte[] cappedKey = key;
            if (key != null && key.length > MAX_KEY_BYTES) {
                cappedKey = Utf8Caps.prefix(key, MAX_KEY_BYTES);
                truncated.add("key");
            }
            String suffix =
                    value != null && cappedValue.length < value.length
                            ? " [value truncated from "
                                    + value.length
                                    + " to "
                                    + cappedValue.length
                                    + " bytes]"
                            : "";
            ProducerRecord<byte[], byte[]> record =
                    new ProducerRecord<>(topic, null, timestamp, cappedKey, cappedValue);
            Headers h = record.headers();
            h.add(
                    HEADER_REASON,
                    (Utf8Caps.cap(reasonText, MAX_REASON_BYTES - suffix.length()) + suffix)
                            .getBytes(StandardCharsets.UTF_8));
            h.add(HEADER_STAGE, Utf8Caps.capToBytes(stage, MAX_HEADER_BYTES));
            int extra = 0;
            for (String[] header : headers) {
                if (header[0] == null) {
                    continue;
                }
                if (extra++ == MAX_EXTRA_HEADERS) {
                    break;
                }
                h.add(
                        Utf8Caps.cap(header[0], 255),
                        Utf8Caps.capToBytes(header[1], MAX_HEADER_BYTES));
            }
            if (!truncated.isEmpty()) {
                h.add(
                        HEADER_TRUNCATED,
                        String.join(",", truncated).getBytes(StandardCharsets.UTF_8));
            }
            if (truncated.contains("value")) {
                h.add(HEADER_ORIGINAL_VALUE_BYTES, ascii(value.length));
            }
            if (truncated.contains("key")) {
                h.add(HEADER_ORIGINAL_KEY_BYTES, ascii(key.length));
            }
            return record;
        }

        private static byte[] ascii(long n) {
            return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
        }
    }
}
