package io.echolot.sink.elasticsearch;

import io.echolot.deadletter.DeadLetterRecords;
import io.echolot.index.DocumentRequest;
import io.echolot.sink.base.DeadLetterProducer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Writes rejected documents to a Kafka topic so they can be inspected and replayed.
 *
 * <p>Record key: the document id as the converter gave it (UTF-8). Value: the original JSON source
 * ({@code null} for a DELETE). Headers (names in {@link DeadLetterRecords}): {@value
 * DeadLetterRecords#HEADER_REASON}, {@value DeadLetterRecords#HEADER_STAGE} (= {@value #STAGE}),
 * {@value DeadLetterRecords#HEADER_INDEX}, {@value DeadLetterRecords#HEADER_ID}, {@value
 * DeadLetterRecords#HEADER_ES_ID} (the {@code _id} sent, a hash for long ids, see {@link
 * io.echolot.index.ElasticsearchIds}) and {@value DeadLetterRecords#HEADER_OP} (needed to replay an
 * upsert as an upsert). An element the converter failed on has {@value
 * DeadLetterRecords#HEADER_ELEMENT_TYPE} instead, its {@code toString()} as the value and no key.
 * Oversized parts are cut as {@link DeadLetterRecords} describes. {@link #flush()} waits for the
 * broker's acknowledgements, so a completed checkpoint covers every dead letter accepted before it.
 */
public final class KafkaDeadLetterHandler implements DeadLetterHandler {

    private static final long serialVersionUID = 1L;

    /** The {@link DeadLetterRecords#HEADER_STAGE} of this sink's dead letters. */
    public static final String STAGE = "elasticsearch";

    private final DeadLetterProducer producer;

    /** Dead letters to {@code topic} on the brokers at {@code bootstrapServers}. */
    public KafkaDeadLetterHandler(String bootstrapServers, String topic) {
        this(topic, Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * Dead letters to {@code topic} with extra producer settings (security, timeouts); must contain
     * {@code bootstrap.servers}. Serializers are always byte arrays.
     */
    public KafkaDeadLetterHandler(String topic, Map<String, String> producerConfig) {
        this.producer = new DeadLetterProducer(topic, producerConfig);
    }

    public String topic() {
        return producer.topic();
    }

    @Override
    public void open(Context context) {
        producer.open("echolot-es-dead-letters-" + context.subtaskIndex());
    }

    @Override
    public void accept(DocumentRequest request, String reason) throws IOException {
        producer.send(
                DeadLetterRecords.builder(producer.topic())
                        .key(request.id())
                        .value(request.sourceBytes())
                        .maxValueBytes(producer.maxValueBytes())
                        .reason(reason)
                        .stage(STAGE)
                        .header(DeadLetterRecords.HEADER_INDEX, request.index())
                        .header(DeadLetterRecords.HEADER_ID, request.id())
                        .header(DeadLetterRecords.HEADER_ES_ID, request.elasticsearchId())
                        .header(DeadLetterRecords.HEADER_OP, request.op().name())
                        .build());
    }

    @Override
    public void acceptElement(Object element, String reason) throws IOException {
        producer.send(
                DeadLetterRecords.builder(producer.topic())
                        .value(describe(element).getBytes(StandardCharsets.UTF_8))
                        .maxValueBytes(producer.maxValueBytes())
                        .reason(reason)
                        .stage(STAGE)
                        .header(
                                DeadLetterRecords.HEADER_ELEMENT_TYPE,
                                element == null ? "null" : element.getClass().getName())
                        .build());
    }

    /** The element's text; a broken {@code toString()} must not fail the job either. */
    static String describe(Object element) {
        try {
            return String.valueOf(element);
        } catch (RuntimeException e) {
            return "(toString() failed: " + e + ")";
        }
    }

    @Override
    public void flush() throws IOException {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }

    @Override
    public String toString() {
        return "KafkaDeadLetterHandler{topic=" + producer.topic() + "}";
    }
}
