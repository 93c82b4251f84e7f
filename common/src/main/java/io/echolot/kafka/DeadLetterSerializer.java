package io.echolot.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a {@link DeadLetter} as the original key and value, with the reason and the source
 * coordinates as headers ({@code echolot.dlq.*}), the convention Kafka Connect uses for its
 * dead-letter queues. The bytes stay exactly as received, so a fixed record can be replayed.
 */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    public static final String HEADER_REASON = "echolot.dlq.reason";
    public static final String HEADER_STAGE = "echolot.dlq.stage";
    public static final String HEADER_TOPIC = "echolot.dlq.topic";
    public static final String HEADER_PARTITION = "echolot.dlq.partition";
    public static final String HEADER_OFFSET = "echolot.dlq.offset";
    public static final String HEADER_TIMESTAMP = "echolot.dlq.timestamp";

    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        RawRecord src = letter.source();
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, null, src.key(), src.value());
        record.headers()
                .add(HEADER_REASON, utf8(letter.reason()))
                .add(HEADER_STAGE, utf8(letter.stage()))
                .add(HEADER_TOPIC, utf8(src.topic()))
                .add(HEADER_PARTITION, utf8(Integer.toString(src.partition())))
                .add(HEADER_OFFSET, utf8(Long.toString(src.offset())))
                .add(HEADER_TIMESTAMP, utf8(Long.toString(src.timestamp())));
        return record;
    }

    private static byte[] utf8(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }
}
