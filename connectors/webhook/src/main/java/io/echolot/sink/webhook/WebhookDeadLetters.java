package io.echolot.sink.webhook;

import io.echolot.deadletter.DeadLetterRecords;
import io.echolot.sink.base.DeadLetterProducer;
import java.io.IOException;
import java.io.Serializable;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes alert states that could not be delivered to a Kafka topic: key = alert id, value = the
 * alert document v1, headers (names in {@link DeadLetterRecords}) {@value
 * DeadLetterRecords#HEADER_REASON}, {@value DeadLetterRecords#HEADER_STAGE} (= {@value #STAGE}),
 * {@value DeadLetterRecords#HEADER_ENDPOINT}, {@value DeadLetterRecords#HEADER_ATTEMPTS} and
 * {@value DeadLetterRecords#HEADER_IDEMPOTENCY_KEY}. Replaying means posting the value to the
 * endpoint again; a value too large for Kafka is cut, with the truncation headers of {@link
 * DeadLetterRecords}.
 */
public final class WebhookDeadLetters implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The {@link DeadLetterRecords#HEADER_STAGE} of undeliverable alerts. */
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

    /** Caps key, value and headers (see {@link DeadLetterRecords}), so Kafka takes any alert. */
    void accept(Delivery d, String reason) throws IOException {
        ProducerRecord<byte[], byte[]> record =
                DeadLetterRecords.builder(producer.topic())
                        .key(d.alertId())
                        .value(d.alertJson())
                        .maxValueBytes(producer.maxValueBytes())
                        .reason(reason)
                        .stage(STAGE)
                        .header(DeadLetterRecords.HEADER_ENDPOINT, d.endpoint())
                        .header(DeadLetterRecords.HEADER_ATTEMPTS, Integer.toString(d.attempts()))
                        .header(DeadLetterRecords.HEADER_IDEMPOTENCY_KEY, d.idempotencyKey())
                        .build();
        producer.send(record);
    }

    void flush() throws IOException {
        producer.flush();
    }

    void close() {
        producer.close();
    }

    @Override
    public String toString() {
        return "WebhookDeadLetters{topic=" + producer.topic() + "}";
    }
}
