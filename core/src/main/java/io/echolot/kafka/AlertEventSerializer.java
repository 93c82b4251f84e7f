package io.echolot.kafka;

import io.echolot.alert.Alert;
import io.echolot.alert.AlertJson;
import io.echolot.deadletter.DeadLetterRecords;
import io.echolot.json.Utf8Caps;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes each alert state to the alerts topic, keyed by alert id (so all states of one alert stay
 * in order on one partition), with the {@code echolot.alert.version} header for deduplication.
 *
 * <p>An alert over {@link BoundedJson#DEFAULT_MAX_BYTES} (evidence texts from huge mentions) would
 * fail the producer and the job, so its longest strings are cut to fit, each ending in {@link
 * Utf8Caps#MARKER}, with the {@value BoundedJson#HEADER_TRUNCATED} header naming them.
 */
public final class AlertEventSerializer implements KafkaRecordSerializationSchema<Alert> {

    private static final long serialVersionUID = 1L;

    public static final String HEADER_VERSION = "echolot.alert.version";

    private final String topic;

    public AlertEventSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Alert alert, KafkaSinkContext context, Long timestamp) {
        BoundedJson.Result json =
                BoundedJson.write(AlertJson.toJson(alert), BoundedJson.DEFAULT_MAX_BYTES);
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(
                        topic,
                        null,
                        // the send time, not the event time: a broker deletes records whose
                        // timestamp is older than the topic's retention (7 days by default) at
                        // once, so a too-old or backfilled mention would vanish from the topic
                        null,
                        Utf8Caps.capToBytes(alert.id(), DeadLetterRecords.MAX_KEY_BYTES),
                        json.bytes());
        record.headers()
                .add(
                        HEADER_VERSION,
                        Integer.toString(alert.version()).getBytes(StandardCharsets.UTF_8));
        json.addHeaders(record);
        return record;
    }
}
