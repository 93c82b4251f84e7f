package io.echolot.alert;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes each alert state to the alerts topic, keyed by alert id (so all states of one alert stay
 * in order on one partition), with the {@code echolot.alert.version} header for deduplication.
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
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(
                        topic,
                        null,
                        alert.updatedAt().toEpochMilli(),
                        alert.id().getBytes(StandardCharsets.UTF_8),
                        AlertJson.toBytes(alert));
        record.headers()
                .add(
                        HEADER_VERSION,
                        Integer.toString(alert.version()).getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
