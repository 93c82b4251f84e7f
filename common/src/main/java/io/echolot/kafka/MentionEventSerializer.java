package io.echolot.kafka;

import io.echolot.model.Mention;
import io.echolot.serde.MentionJson;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a mention as a mention event v1 keyed by its id, so it can be read back by the job (the
 * late-mentions topic can be replayed into a backfill).
 */
public final class MentionEventSerializer implements KafkaRecordSerializationSchema<Mention> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    public MentionEventSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Mention mention, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                mention.eventTimeMillis(),
                mention.id().getBytes(StandardCharsets.UTF_8),
                MentionJson.bytes(MentionJson.toEvent(mention)));
    }
}
