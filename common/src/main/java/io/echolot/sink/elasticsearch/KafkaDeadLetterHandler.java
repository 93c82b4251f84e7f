package io.echolot.sink.elasticsearch;

import io.echolot.kafka.DeadLetterProducer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Writes rejected documents to a Kafka topic so they can be inspected and replayed.
 *
 * <p>Record key: the document id (UTF-8). Value: the original JSON source ({@code null} for a
 * DELETE). Headers: {@value #HEADER_REASON}, {@value #HEADER_STAGE} (= {@value #STAGE}), {@value
 * #HEADER_INDEX}, {@value #HEADER_ID} and {@value #HEADER_OP} (needed to replay an upsert as an
 * upsert). {@link #flush()} waits for the broker's acknowledgements, so a completed checkpoint
 * covers every dead letter accepted before it.
 */
public final class KafkaDeadLetterHandler implements DeadLetterHandler {

    private static final long serialVersionUID = 1L;

    public static final String HEADER_REASON = "echolot.dlq.reason";
    public static final String HEADER_STAGE = "echolot.dlq.stage";
    public static final String HEADER_INDEX = "echolot.dlq.index";
    public static final String HEADER_ID = "echolot.dlq.id";
    public static final String HEADER_OP = "echolot.dlq.op";
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
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(producer.topic(), utf8(request.id()), request.sourceBytes());
        Headers headers = record.headers();
        headers.add(HEADER_REASON, utf8(reason));
        headers.add(HEADER_STAGE, utf8(STAGE));
        headers.add(HEADER_INDEX, utf8(request.index()));
        headers.add(HEADER_ID, utf8(request.id()));
        headers.add(HEADER_OP, utf8(request.op().name()));
        producer.send(record);
    }

    @Override
    public void flush() throws IOException {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "KafkaDeadLetterHandler{topic=" + producer.topic() + "}";
    }
}
