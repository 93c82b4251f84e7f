package io.echolot.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.echolot.deadletter.DeadLetter;
import io.echolot.ingest.FanOutLimits;
import io.echolot.ingest.MentionParser;
import io.echolot.model.Mention;
import io.echolot.testing.Mentions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class EnforceFanOutLimitsTest {

    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    private static Mention with(List<String> brands, List<String> topics) {
        Mention m = Mentions.mention("m", "acme", topics, T);
        return m.toBuilder()
                .brands(brands)
                .topics(topics)
                .reshareOf(null)
                .replyTo(null)
                .threadRoot(null)
                .brandAccount(null)
                .build();
    }

    @Test
    void passesMentionsWithinTheLimitsAndDeadLettersTheOthersWithTheEnrichedEvent()
            throws Exception {
        try (OneInputStreamOperatorTestHarness<Mention, Mention> h =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new EnforceFanOutLimits(new FanOutLimits(2, 2)))) {
            Mention ok = with(List.of("a", "b"), List.of("t1", "t2"));
            Mention wide = with(List.of("a", "b", "c"), List.of());
            Mention deep = with(List.of("a"), List.of("t1", "t2", "t3"));
            h.processElement(ok, 1);
            h.processElement(wide, 2);
            h.processElement(deep, 3);

            assertThat(h.extractOutputValues()).containsExactly(ok);
            List<DeadLetter> dead =
                    h.getSideOutput(EnforceFanOutLimits.DEAD_LETTERS).stream()
                            .map(StreamRecord::getValue)
                            .toList();
            assertThat(dead)
                    .extracting(d -> d.stage() + ": " + d.reason())
                    .containsExactly(
                            "enrich: 3 brands, more than the limit of 2 per mention after matching the rules",
                            "enrich: 3 topics, more than the limit of 2 per mention after matching the rules");
            DeadLetter first = dead.get(0);
            assertThat(new String(first.source().key(), StandardCharsets.UTF_8)).isEqualTo("m");
            assertThat(first.source().offset()).isEqualTo(-1);
            Mention back =
                    new MentionParser(65536, Duration.ofMinutes(10), Clock.fixed(T, ZoneOffset.UTC))
                            .parse(first.source().value())
                            .mention();
            assertThat(back).isEqualTo(wide);
        }
    }

    @Test
    void limitsBelowOneAreRefused() {
        assertThatThrownBy(() -> new FanOutLimits(0, 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(FanOutLimits.NONE.violation(List.of("a"), List.of())).isNull();
    }
}
