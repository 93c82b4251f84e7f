package io.echolot.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.deadletter.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class MentionDeserializerTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private static final String VALID =
            "{\"id\":\"x:1\",\"platform\":\"x\",\"created_at\":\"2026-11-23T10:00:00Z\","
                    + "\"text\":\"t\",\"author\":{\"id\":\"a\"},\"brands\":[\"a\",\"b\",\"c\"]}";

    private static List<ParsedRecord> read(MentionDeserializer d, String... values)
            throws Exception {
        d.open(
                new DeserializationSchema.InitializationContext() {
                    @Override
                    public MetricGroup getMetricGroup() {
                        return new UnregisteredMetricsGroup();
                    }

                    @Override
                    public UserCodeClassLoader getUserCodeClassLoader() {
                        return null;
                    }
                });
        List<ParsedRecord> out = new ArrayList<>();
        Collector<ParsedRecord> collector =
                new Collector<>() {
                    @Override
                    public void collect(ParsedRecord record) {
                        out.add(record);
                    }

                    @Override
                    public void close() {}
                };
        long offset = 0;
        for (String v : values) {
            d.deserialize(
                    new ConsumerRecord<>(
                            "mentions", 3, offset++, null, v.getBytes(StandardCharsets.UTF_8)),
                    collector);
        }
        return out;
    }

    @Test
    void aRecordThatMakesALibraryThrowBecomesADeadLetterWithItsCoordinates() throws Exception {
        String hostile =
                VALID.replace("\"platform\":\"x\"", "\"platform\":1e400")
                        .replace("\"id\":\"x:1\",", "\"id\":\"x:1\",\"id\":\"x:2\",");
        List<ParsedRecord> out =
                read(
                        new MentionDeserializer(
                                65536,
                                Duration.ofMinutes(10),
                                Clock.fixed(NOW, ZoneOffset.UTC),
                                FanOutLimits.NONE),
                        VALID.replace("\"platform\":\"x\"", "\"platform\":1e400"),
                        hostile,
                        "[".repeat(50_000),
                        VALID);
        assertThat(out).hasSize(4);
        assertThat(out.get(0).deadLetter().reason())
                .isEqualTo(
                        "number out of range at /platform: too large for a 64-bit floating-point number");
        assertThat(out.get(1).deadLetter().reason()).contains("Duplicate field 'id'");
        assertThat(out.get(2).deadLetter().reason()).contains("nesting depth");
        assertThat(out.get(2).deadLetter().source().offset()).isEqualTo(2);
        assertThat(out.get(2).deadLetter().source().partition()).isEqualTo(3);
        assertThat(out.get(3).mention()).isNotNull();
    }

    @Test
    void anEventWithMoreBrandsThanTheLimitIsADeadLetter() throws Exception {
        List<ParsedRecord> out =
                read(
                        new MentionDeserializer(
                                65536,
                                Duration.ofMinutes(10),
                                Clock.fixed(NOW, ZoneOffset.UTC),
                                new FanOutLimits(2, 20)),
                        VALID);
        assertThat(out.get(0).deadLetter().stage()).isEqualTo(DeadLetter.STAGE_PARSE);
        assertThat(out.get(0).deadLetter().reason())
                .isEqualTo("3 brands, more than the limit of 2 per mention");
    }

    @Test
    void anExceptionWhileParsingYieldsADeadLetterNotAnException() throws Exception {
        Clock failing =
                new Clock() {
                    @Override
                    public ZoneId getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(ZoneId zone) {
                        return this;
                    }

                    @Override
                    public Instant instant() {
                        throw new IllegalStateException("clock unavailable");
                    }
                };
        List<ParsedRecord> out =
                read(
                        new MentionDeserializer(
                                65536, Duration.ofMinutes(10), failing, FanOutLimits.NONE),
                        VALID);
        assertThat(out.get(0).mention()).isNull();
        assertThat(out.get(0).deadLetter().reason())
                .isEqualTo("cannot read the record: IllegalStateException: clock unavailable");
    }
}
