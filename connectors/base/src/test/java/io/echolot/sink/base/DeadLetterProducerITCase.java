package io.echolot.sink.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.echolot.deadletter.DeadLetterRecords;
import io.echolot.testing.KafkaTestServer;
import io.echolot.testing.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The dead-letter producer against a real Kafka broker. */
class DeadLetterProducerITCase {

    private final KafkaTestServer kafka = TestServers.kafka();

    @Test
    void aFlushReturnsOnceTheBrokerHasEveryDeadLetterSentBeforeIt() throws IOException {
        String topic = kafka.createTopic("dlq-flush", 1);
        DeadLetterProducer producer =
                new DeadLetterProducer(
                        topic, Map.of("bootstrap.servers", kafka.bootstrapServers()));
        producer.open("dead-letter-producer-test");
        try {
            for (int i = 0; i < 50; i++) {
                ProducerRecord<byte[], byte[]> record =
                        new ProducerRecord<>(
                                topic, ("key-" + i).getBytes(StandardCharsets.UTF_8), bytes(i));
                record.headers()
                        .add(
                                DeadLetterRecords.HEADER_REASON,
                                "test".getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.flush();
        } finally {
            producer.close();
        }
        // read up to the end offsets of this moment, without waiting for more to come
        List<ConsumerRecord<byte[], byte[]>> read =
                kafka.readToEnd(topic, 0, Duration.ofSeconds(30));
        assertThat(read).hasSize(50);
        assertThat(read.get(49).value()).isEqualTo(bytes(49));
        assertThat(read.get(0).headers().lastHeader(DeadLetterRecords.HEADER_REASON)).isNotNull();
    }

    @Test
    void aDeadLetterTheBrokerRefusesFailsTheFlushInsteadOfVanishing() {
        String topic = kafka.createTopic("dlq-refused", 1);
        // the producer lets 2 MiB through; the broker keeps its 1 MiB limit and refuses the record
        DeadLetterProducer producer =
                new DeadLetterProducer(
                        topic,
                        Map.of(
                                "bootstrap.servers",
                                kafka.bootstrapServers(),
                                "max.request.size",
                                Integer.toString(4 << 20),
                                "delivery.timeout.ms",
                                "30000",
                                "request.timeout.ms",
                                "10000"));
        producer.open("dead-letter-producer-test");
        try {
            assertThatThrownBy(
                            () -> {
                                producer.send(new ProducerRecord<>(topic, null, new byte[2 << 20]));
                                producer.flush();
                            })
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("could not write a dead letter to Kafka topic " + topic);
        } finally {
            producer.close();
        }
    }

    @Test
    void theValueCapLeavesRoomWhenTheRequestSizeIsSetLower() {
        DeadLetterProducer defaults =
                new DeadLetterProducer("t", Map.of("bootstrap.servers", "127.0.0.1:1"));
        DeadLetterProducer small =
                new DeadLetterProducer(
                        "t",
                        Map.of("bootstrap.servers", "127.0.0.1:1", "max.request.size", "262144"));
        assertThat(defaults.maxValueBytes()).isEqualTo(DeadLetterRecords.DEFAULT_MAX_VALUE_BYTES);
        assertThat(small.maxValueBytes()).isLessThan(262144).isGreaterThanOrEqualTo(1024);
    }

    private static byte[] bytes(int i) {
        return ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
    }
}
