package io.echolot.sink.base;

import io.echolot.deadletter.DeadLetterRecords;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A Kafka producer for dead letters that a sink writes from its task thread: idempotent, {@code
 * acks=all}, and a {@link #flush()} that waits for the broker and reports any failed send, so a
 * checkpoint taken after it covers every dead letter sent before it. Serializable configuration;
 * the producer itself is created by {@link #open}.
 */
public final class DeadLetterProducer implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** Key, capped headers ({@link DeadLetterRecords}) and Kafka's batch framing, generously. */
    private static final long RECORD_OVERHEAD_BYTES = 64 * 1024;

    private final String topic;
    private final HashMap<String, String> producerConfig;

    private transient KafkaProducer<byte[], byte[]> producer;
    private transient volatile Exception sendFailure;

    /**
     * Dead letters to {@code topic}; {@code producerConfig} must contain {@code bootstrap.servers}.
     * Serializers are always byte arrays.
     */
    public DeadLetterProducer(String topic, Map<String, String> producerConfig) {
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

    /**
     * The value cap for {@link DeadLetterRecords}: the default, or less when {@code
     * max.request.size} is set lower, leaving room for key, headers and framing.
     */
    public int maxValueBytes() {
        String configured = producerConfig.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        if (configured == null) {
            return DeadLetterRecords.DEFAULT_MAX_VALUE_BYTES;
        }
        try {
            long room = Long.parseLong(configured.trim()) - RECORD_OVERHEAD_BYTES;
            return (int) Math.max(1024, Math.min(DeadLetterRecords.DEFAULT_MAX_VALUE_BYTES, room));
        } catch (NumberFormatException e) {
            // the producer itself refuses the setting when it opens
            return DeadLetterRecords.DEFAULT_MAX_VALUE_BYTES;
        }
    }

    /** Creates the producer; {@code clientId} names it in the broker's logs and metrics. */
    public void open(String clientId) {
        Properties props = new Properties();
        // a dead letter must not be lost or duplicated by producer retries
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.putAll(producerConfig);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(props);
        sendFailure = null;
    }

    /** Sends without waiting; a failure surfaces at the next send or flush. */
    public void send(ProducerRecord<byte[], byte[]> record) throws IOException {
        checkNoSendFailure();
        producer.send(
                record,
                (metadata, error) -> {
                    if (error != null && sendFailure == null) {
                        sendFailure = error;
                    }
                });
    }

    /** Waits until the broker acknowledged every record sent so far. */
    public void flush() throws IOException {
        if (producer != null) {
            producer.flush();
        }
        checkNoSendFailure();
    }

    public void close() {
        if (producer != null) {
            producer.close(CLOSE_TIMEOUT);
            producer = null;
        }
    }

    private void checkNoSendFailure() throws IOException {
        Exception failure = sendFailure;
        if (failure != null) {
            throw new IOException("could not write a dead letter to Kafka topic " + topic, failure);
        }
    }

    @Override
    public String toString() {
        return "DeadLetterProducer{topic=" + topic + "}";
    }
}
