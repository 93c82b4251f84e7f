package io.echolot.index;

import io.echolot.deadletter.DeadLetterRecords;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns an element into its Elasticsearch document write on an index topic (see {@link
 * IndexRecords}). An element its converter cannot turn into a document, or whose document would not
 * fit into a Kafka record, becomes a dead letter on the dead-letter topic instead (stage {@value
 * #STAGE}): one bad element must neither fail the job nor vanish. Metric: {@code
 * indexRecordsDeadLettered}.
 */
public final class IndexRequestSerializer<T> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    /** Dead-letter stage of elements that could not become an index record. */
    public static final String STAGE = "index";

    /**
     * Largest record written, key, value and headers together: below Kafka's default {@code
     * max.message.bytes} of 1 MiB, so every broker and topic accepts it.
     */
    public static final int DEFAULT_MAX_RECORD_BYTES = DeadLetterRecords.DEFAULT_MAX_VALUE_BYTES;

    private final DocumentConverter<T> converter;
    private final String topic;
    private final String deadLetterTopic;
    private final int maxRecordBytes;

    private transient Counter deadLettered;

    public IndexRequestSerializer(
            DocumentConverter<T> converter, String topic, String deadLetterTopic) {
        this(converter, topic, deadLetterTopic, DEFAULT_MAX_RECORD_BYTES);
    }

    public IndexRequestSerializer(
            DocumentConverter<T> converter,
            String topic,
            String deadLetterTopic,
            int maxRecordBytes) {
        this.converter = Objects.requireNonNull(converter, "converter");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        if (maxRecordBytes < 1024) {
            throw new IllegalArgumentException(
                    "maxRecordBytes must be at least 1024, got " + maxRecordBytes);
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext)
            throws Exception {
        deadLettered = context.getMetricGroup().counter("indexRecordsDeadLettered");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        DocumentRequest request;
        try {
            request = converter.convert(element);
            Objects.requireNonNull(request, "the converter returned null");
        } catch (RuntimeException | StackOverflowError e) {
            count();
            return DeadLetterRecords.builder(deadLetterTopic)
                    .value(describe(element).getBytes(StandardCharsets.UTF_8))
                    .stage(STAGE)
                    .reason("the document converter failed: " + e)
                    .header(
                            DeadLetterRecords.HEADER_ELEMENT_TYPE,
                            element == null ? "null" : element.getClass().getName())
                    .build();
        }
        ProducerRecord<byte[], byte[]> record = IndexRecords.toRecord(topic, request);
        long size = size(record);
        if (size <= maxRecordBytes) {
            return record;
        }
        count();
        return DeadLetterRecords.builder(deadLetterTopic)
                .key(request.id())
                .value(request.source())
                .stage(STAGE)
                .reason(
                        "the document of "
                                + size
                                + " bytes is larger than an index record may be ("
                                + maxRecordBytes
                                + " bytes)")
                .header(DeadLetterRecords.HEADER_INDEX, request.index())
                .header(DeadLetterRecords.HEADER_OP, request.op().name())
                .build();
    }

    private void count() {
        if (deadLettered != null) {
            deadLettered.inc();
        }
    }

    private static long size(ProducerRecord<byte[], byte[]> record) {
        long size = record.key().length + (record.value() == null ? 0 : record.value().length);
        for (Header h : record.headers()) {
            size += h.key().length() + h.value().length;
        }
        return size;
    }

    /** The element's text; a broken {@code toString()} must not fail the job either. */
    private static String describe(Object element) {
        try {
            return String.valueOf(element);
        } catch (RuntimeException e) {
            return "(toString() failed: " + e + ")";
        }
    }
}
