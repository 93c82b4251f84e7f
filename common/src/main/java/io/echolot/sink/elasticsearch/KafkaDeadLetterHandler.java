package io.echolot.sink.elasticsearch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;

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

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final HashMap<String, String> producerConfig;

    private transient KafkaProducer<byte[], byte[]> producer;
    private transient volatile Exception sendFailure;

    /** Dead letters to {@code topic} on the brokers at {@code bootstrapServers}. */
    public KafkaDeadLetterHandler(String bootstrapServers, String topic) {
        this(topic, Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * Dead letters to {@code topic} with extra producer settings (security, timeouts); must contain
     * {@code bootstrap.servers}. Serializers are always byte arrays.
     */
    public KafkaDeadLetterHandler(String topic, Map<String, String> producerConfig) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("the dead-letter topic must not be blank");
        }
        String servers = producerConfig.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
        if (servers == null || servers.isBlank()) {
            throw new IllegalArgumentException(
                    "the dead-letter producer needs bootstrap.servers for topic " + topic);
        }
        this.topic = topic;
        this.producerConfig = new HashMap<>(producerConfig);
    }

    public String topic() {
        return topic;
    }

    @Override
    public void open(Context context) {
        Properties props = new Properties();
        // a dead letter must not be lost or duplicated by producer retries
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(
                ProducerConfig.CLIENT_ID_CONFIG,
                "echolot-es-dead-letters-" + context.subtaskIndex());
        props.putAll(producerConfig);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(props);
        sendFailure = null;
    }

    @Override
    public void accept(DocumentRequest request, String reason) throws IOException {
        checkNoSendFailure();
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, utf8(request.id()), request.sourceBytes());
        Headers headers = record.headers();
        headers.add(HEADER_REASON, utf8(reason));
        headers.add(HEADER_STAGE, utf8(STAGE));
        headers.add(HEADER_INDEX, utf8(request.index()));
        headers.add(HEADER_ID, utf8(request.id()));
        headers.add(HEADER_OP, utf8(request.op().name()));
        producer.send(
                record,
                (metadata, error) -> {
                    if (error != null && sendFailure == null) {
                        sendFailure = error;
                    }
                });
    }

    @Override
    public void flush() throws IOException {
        if (producer != null) {
            producer.flush();
        }
        checkNoSendFailure();
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(CLOSE_TIMEOUT);
            producer = null;
        }
    }

    private void checkNoSendFailure() throws IOException {
        Exception failure = sendFailure;
        if (failure != null) {
            throw new IOException(
                    "could not write an Elasticsearch dead letter to Kafka topic " + topic,
                    failure);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "KafkaDeadLetterHandler{topic=" + topic + "}";
    }
}
