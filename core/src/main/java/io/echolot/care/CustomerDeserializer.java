package io.echolot.care;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.deadletter.RawRecord;
import io.echolot.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads the compacted customers topic: key {@code <platform>:<author id>} (see {@link AuthorKey}),
 * value a JSON object {@code {"customer_id": "C-1001", "segment": "pharmacy", "tier": "gold",
 * "open_cases": 2}}, or no value (a tombstone: the customer was deleted). Never fails on bad input:
 * a record without key or with an unreadable value becomes an update with an error, which the
 * customer join sends to the dead-letter topic. Metrics: {@code customersRead}, {@code
 * customersRefused}.
 */
public final class CustomerDeserializer
        implements KafkaRecordDeserializationSchema<CustomerUpdate> {

    private static final long serialVersionUID = 1L;

    /** Larger values are refused unread. */
    static final int MAX_BYTES = 64 * 1024;

    private transient Counter read;
    private transient Counter refused;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        read = context.getMetricGroup().counter("customersRead");
        refused = context.getMetricGroup().counter("customersRefused");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<CustomerUpdate> out) {
        RawRecord raw =
                new RawRecord(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp(),
                        record.key(),
                        record.value());
        CustomerUpdate update = parse(raw);
        if (read != null) {
            (update.error() == null ? read : refused).inc();
        }
        out.collect(update);
    }

    /** Reads one record of the customers topic; problems are reported in the update's error. */
    public static CustomerUpdate parse(RawRecord raw) {
        if (raw.key() == null || raw.key().length == 0) {
            return failed(
                    raw, "customer record without key: the key must be <platform>:<author id>");
        }
        String key = new String(raw.key(), StandardCharsets.UTF_8).strip();
        int colon = key.indexOf(':');
        if (colon <= 0 || colon == key.length() - 1) {
            return failed(
                    raw,
                    "customer record key '"
                            + key
                            + "' is not <platform>:<author id> (e.g. x:1234567)");
        }
        if (raw.value() == null) {
            return new CustomerUpdate(key, null, null, null);
        }
        if (raw.value().length > MAX_BYTES) {
            return failed(raw, "customer record larger than " + MAX_BYTES + " bytes");
        }
        JsonNode v;
        try {
            v = Json.mapper().readTree(raw.value());
        } catch (Exception e) {
            return failed(raw, "customer record is not JSON: " + e.getMessage());
        }
        if (v == null || !v.isObject()) {
            return failed(raw, "customer record must be a JSON object");
        }
        JsonNode id = v.get("customer_id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            return failed(raw, "customer record needs a non-empty string 'customer_id'");
        }
        JsonNode cases = v.get("open_cases");
        if (cases != null && !cases.isNull() && !(cases.canConvertToInt() && cases.asInt() >= 0)) {
            return failed(raw, "'open_cases' must be a whole number >= 0, not " + cases);
        }
        String tier = text(v, "tier");
        return new CustomerUpdate(
                key,
                new CustomerRecord(
                        id.asText(),
                        text(v, "segment"),
                        tier == null ? null : tier.toLowerCase(Locale.ROOT),
                        cases == null || cases.isNull() ? 0 : cases.asInt()),
                null,
                null);
    }

    private static CustomerUpdate failed(RawRecord raw, String reason) {
        return new CustomerUpdate(null, null, reason, raw);
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    @Override
    public TypeInformation<CustomerUpdate> getProducedType() {
        return TypeInformation.of(CustomerUpdate.class);
    }
}
