package io.echolot.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.tools.Timeline.Emission;
import io.echolot.tools.Timeline.Kind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator's log of acknowledged records, from which the stack times alerts. */
class SentLogTest {

    private static List<Emission> emissions() {
        Scenario s =
                new Scenario(
                        200,
                        Duration.ofSeconds(30),
                        Duration.ZERO,
                        Duration.ofSeconds(3),
                        false,
                        true,
                        0.05,
                        0.0,
                        0.0,
                        Duration.ofMinutes(10),
                        0.0,
                        null,
                        null,
                        List.of(),
                        0.85,
                        Duration.ofSeconds(20),
                        null,
                        null);
        List<Emission> out = new ArrayList<>();
        new Timeline(s, 3, Instant.parse("2026-11-23T10:00:00Z")).play(out::add);
        return out;
    }

    @Test
    void anAcknowledgedMentionIsLoggedWithItsPartitionEventTimeSendAndAcknowledgement(
            @TempDir Path dir) throws Exception {
        Emission mention =
                emissions().stream()
                        .filter(e -> e.kind() == Kind.MENTION)
                        .findFirst()
                        .orElseThrow();
        Path file = dir.resolve("sent.tsv");
        long before = System.currentTimeMillis();
        try (SentLog log = new SentLog(file)) {
            Callback callback = log.sending(mention);
            callback.onCompletion(metadata(3), null);
        }
        long after = System.currentTimeMillis();

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        String[] f = lines.get(0).split("\t");
        assertThat(f).hasSize(5);
        assertThat(f[0]).isEqualTo("3");
        assertThat(Long.parseLong(f[1])).isEqualTo(mention.mention().eventTimeMillis());
        long sent = Long.parseLong(f[2]);
        long acknowledged = Long.parseLong(f[3]);
        assertThat(sent).isBetween(before, acknowledged);
        assertThat(acknowledged).isBetween(sent, after);
        assertThat(f[4]).isEqualTo("MENTION");
    }

    @Test
    void aFailedSendAndAMalformedRecordAreNotLogged(@TempDir Path dir) throws Exception {
        List<Emission> all = emissions();
        Emission malformed =
                all.stream().filter(e -> e.kind() == Kind.MALFORMED).findFirst().orElseThrow();
        Emission mention =
                all.stream().filter(e -> e.kind() == Kind.MENTION).findFirst().orElseThrow();
        Path file = dir.resolve("sent.tsv");
        try (SentLog log = new SentLog(file)) {
            assertThat(log.sending(malformed)).isNull();
            log.sending(mention).onCompletion(null, new RuntimeException("broker gone"));
        }

        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).isEmpty();
    }

    private static RecordMetadata metadata(int partition) {
        return new RecordMetadata(new TopicPartition("echolot.mentions", partition), 0, 0, 0, 0, 0);
    }
}
