package io.echolot.kafka;

import io.echolot.deadletter.DeadLetter;
import io.echolot.deadletter.DeadLetterRecords;
import io.echolot.deadletter.RawRecord;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a {@link DeadLetter} as the original key and value, with the reason and the source
 * coordinates as headers ({@link DeadLetterRecords#HEADER_TOPIC} and the others of {@link
 * DeadLetterRecords}), the convention Kafka Connect uses for its dead-letter queues. The bytes stay
 * exactly as received, so a fixed record can be replayed, unless they are too large for Kafka: then
 * they are cut as {@link DeadLetterRecords} describes and the headers say so.
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final int maxValueBytes;

    public DeadLetterSerializer(String topic) {
        this(topic, DeadLetterRecords.DEFAULT_MAX_VALUE_BYTES);
    }

    /** With a lower value cap, for brokers whose {@code max.message.bytes} is below 1 MiB. */
    public DeadLetterSerializer(String topic, int maxValueBytes) {
        this.topic = topic;
        this.maxValueBytes = maxValueBytes;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        RawRecord src = letter.source();
        DeadLetterRecords.Builder record =
                DeadLetterRecords.builder(topic)
                        .maxValueBytes(maxValueBytes)
                        .reason(letter.reason())
                        .stage(letter.stage());
        if (src == null) {
            return record.build();
        }
        return record.key(src.key())
                .value(src.value())
                .header(DeadLetterRecords.HEADER_TOPIC, src.topic())
                .header(DeadLetterRecords.HEADER_PARTITION, Integer.toString(src.partition()))
                .header(DeadLetterRecords.HEADER_OFFSET, Long.toString(src.offset()))
                .header(DeadLetterRecords.HEADER_TIMESTAMP, Long.toString(src.timestamp()))
                .build();
    }
}
