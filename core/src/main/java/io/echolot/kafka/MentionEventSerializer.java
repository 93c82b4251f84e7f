package io.echolot.kafka;

import io.echolot.deadletter.DeadLetterRecords;
import io.echolot.json.MentionJson;
import io.echolot.json.Utf8Caps;
import io.echolot.model.Mention;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a mention as a mention event v1 keyed by its id, so it can be read back by the job (the
 * late-mentions topic can be replayed into a backfill).
 *
 * <p>An event over {@link BoundedJson#DEFAULT_MAX_BYTES} (possible when {@code --max-event-bytes}
 * is raised above Kafka's 1 MiB) would fail the producer and the job, so its text is cut to fit and
 * ends in {@link Utf8Caps#MARKER}; the record's {@value BoundedJson#HEADER_TRUNCATED} and {@value
 * BoundedJson#HEADER_ORIGINAL_BYTES} headers say so. A replay then reads the shortened text.
 */
public final class MentionEventSerializer implements KafkaRecordSerializationSchema<Mention> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final int maxBytes;

    public MentionEventSerializer(String topic) {
        this(topic, BoundedJson.DEFAULT_MAX_BYTES);
    }

    /** With another budget for the serialized event, e.g. for a broker below 1 MiB. */
    public MentionEventSerializer(String topic, int maxBytes) {
        this.topic = topic;
        this.maxBytes = maxBytes;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Mention mention, KafkaSinkContext context, Long timestamp) {
        BoundedJson.Result event = BoundedJson.write(MentionJson.toEvent(mention), maxBytes);
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(
                        topic,
                        null,
                        // the send time, not the event time: a broker deletes records whose
                        // timestamp is older than the topic's retention (7 days by default) at
                        // once, so a too-old or backfilled mention would vanish from the topic
                        null,
                        Utf8Caps.capToBytes(mention.id(), DeadLetterRecords.MAX_KEY_BYTES),
                        event.bytes());
        event.addHeaders(record);
        return record;
    }
}
