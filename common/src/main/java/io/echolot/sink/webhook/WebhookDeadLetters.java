package io.echolot.sink.webhook;

import io.echolot.kafka.DeadLetterProducer;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes alert states that could not be delivered to a Kafka topic: key = alert id, value = the
 * alert document v1, headers {@code echolot.dlq.reason}, {@code echolot.dlq.stage} (= {@value
 * #STAGE}), {@value #HEADER_ENDPOINT}, {@value #HEADER_ATTEMPTS} and {@value
 * #HEADER_IDEMPOTENCY_KEY}. Replaying means posting the value to the endpoint again.
 */
public final class WebhookDeadLetters implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String HEADER_REASON = "echolot.dlq.reason";
    public static final String HEADER_STAGE = "echolot.dlq.stage";
    public static final String HEADER_ENDPOINT = "echolot.dlq.endpoint";
    public static final String HEADER_ATTEMPTS = "echolot.dlq.attempts";
    public static final String HEADER_IDEMPOTENCY_KEY = "echolot.dlq.idempotency_key";
    public static final String STAGE = "webhook";
    public static final String DEFAULT_TOPIC = "echolot.webhooks.dlq";

    private final DeadLetterProducer producer;

    public WebhookDeadLetters(String bootstrapServers, String topic) {
        this(topic, Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** With extra producer settings; must contain {@code bootstrap.servers}. */
    public WebhookDeadLetters(String topic, Map<String, String> producerConfig) {
        this.producer = new DeadLetterProducer(topic, producerConfig);
    }

    public String topic() {
        return producer.topic();
    }

    void open(int subtask) {
        producer.open("echolot-webhook-dead-letters-" + subtask);
    }

    void accept(Delivery d, String reason) throws IOException {
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(producer.topic(), utf8(d.alertId()), d.alertJson());
        record.headers()
                .add(HEADER_REASON, utf8(reason))
                .add(HEADER_STAGE, utf8(STAGE))
                .add(HEADER_ENDPOINT, utf8(d.endpoint()))
                .add(HEADER_ATTEMPTS, utf8(Integer.toString(d.attempts())))
                .add(HEADER_IDEMPOTENCY_KEY, utf8(d.idempotencyKey()));
        producer.send(record);
    }

    void flush() throws IOException {
        producer.flush();
    }

    void close() {
        producer.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "WebhookDeadLetters{topic=" + producer.topic() + "}";
    }
}
