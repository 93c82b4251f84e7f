package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.model.Mention;
import io.echolot.testing.Mentions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class TooOldMentionsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void setsAsideMentionsOlderThanTheMaxAgeByTheClock() throws Exception {
        Mention recent = Mentions.mention("recent", "acme", List.of(), NOW.minusSeconds(60));
        Mention edge = Mentions.mention("edge", "acme", List.of(), NOW.minus(Duration.ofDays(7)));
        Mention old =
                Mentions.mention(
                        "old", "acme", List.of(), NOW.minus(Duration.ofDays(7)).minusMillis(1));
        try (OneInputStreamOperatorTestHarness<Mention, Mention> h =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new TooOldMentions(Duration.ofDays(7), Clock.fixed(NOW, ZoneOffset.UTC)))) {
            h.processElement(recent, recent.eventTimeMillis());
            h.processElement(edge, edge.eventTimeMillis());
            h.processElement(old, old.eventTimeMillis());

            assertThat(h.extractOutputValues()).containsExactly(recent, edge);
            assertThat(h.getSideOutput(TooOldMentions.TOO_OLD))
                    .extracting(StreamRecord::getValue)
                    .containsExactly(old);
        }
    }
}
