package io.echolot.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.echolot.index.DocumentRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class KafkaDeadLetterHandlerTest {

    @Test
    void failsTheFlushInsteadOfLosingDeadLettersWhenKafkaIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        KafkaDeadLetterHandler handler =
                new KafkaDeadLetterHandler(
                        "dead-letters",
                        Map.of(
                                "bootstrap.servers", "127.0.0.1:" + closedPort,
                                "max.block.ms", "1000",
                                "request.timeout.ms", "1000",
                                "delivery.timeout.ms", "2000"));
        handler.open(new DeadLetterHandler.Context(0, new UnregisteredMetricsGroup()));
        try {
            handler.accept(
                    DocumentRequest.index("i", "1", "{}".getBytes(StandardCharsets.UTF_8)),
                    "status 400 test");

            assertThatThrownBy(handler::flush)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("dead-letters");
        } finally {
            handler.close();
        }
    }

    @Test
    void needsATopicAndBootstrapServers() {
        assertThatThrownBy(() -> new KafkaDeadLetterHandler("127.0.0.1:9092", " "))
                .hasMessageContaining("topic");
        assertThatThrownBy(() -> new KafkaDeadLetterHandler("dlq", Map.of()))
                .hasMessageContaining("bootstrap.servers");
        assertThat(new KafkaDeadLetterHandler("127.0.0.1:9092", "dlq").topic()).isEqualTo("dlq");
    }
}
