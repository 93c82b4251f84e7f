package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.model.Mention;
import io.echolot.model.WindowAggregate;
import io.echolot.sentiment.LexiconSentimentScorer;
import io.echolot.testing.Mentions;
import io.echolot.window.BrandTopicKey;
import io.echolot.window.ScopedMention;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The brand/topic window operator exactly as the pipeline builds it, driven by explicit watermarks:
 * firing at the window end, allowed lateness, late side output and state cleanup.
 */
class BrandTopicWindowsHarnessTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private static final PipelineSettings SETTINGS =
            new PipelineSettings(
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(30),
                    Duration.ZERO,
                    Duration.ofMinutes(1),
                    Duration.ofMinutes(10),
                    Duration.ofDays(7),
                    65536,
                    10,
                    20,
                    3,
                    Duration.ofHours(24),
                    MentionAnalyticsPipelineTest.DETECTION,
                    null,
                    Clock.fixed(T0, ZoneOffset.UTC),
                    new LexiconSentimentScorer());

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<String, ScopedMention, WindowAggregate>
            harness() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<Mention> mentions =
                env.fromData(
                        List.of(Mentions.mention("x", "b", List.of(), T0)),
                        TypeInformation.of(Mention.class));
        // the window operator sits behind the fan-out; take it from the transformation the pipeline
        // builds
        OneInputTransformation<ScopedMention, WindowAggregate> window =
                (OneInputTransformation<ScopedMention, WindowAggregate>)
                        MentionAnalyticsPipeline.windowAggregates(mentions, SETTINGS)
                                .getTransformation();
        OneInputStreamOperator<ScopedMention, WindowAggregate> operator = window.getOperator();
        KeyedOneInputStreamOperatorTestHarness<String, ScopedMention, WindowAggregate> h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, new BrandTopicKey(), Types.STRING);
        h.open();
        return h;
    }

    private static StreamRecord<ScopedMention> at(String id, String topic, long secondsAfterT0) {
        Instant t = T0.plusSeconds(secondsAfterT0);
        return new StreamRecord<>(
                new ScopedMention("acme", topic, Mentions.mention(id, "acme", List.of(), t)),
                t.toEpochMilli());
    }

    private static List<String> fired(ConcurrentLinkedQueue<Object> output) {
        return output.stream()
                .filter(o -> o instanceof StreamRecord<?>)
                .map(o -> (WindowAggregate) ((StreamRecord<?>) o).getValue())
                .map(
                        a ->
                                a.topic()
                                        + " ["
                                        + a.windowStart()
                                        + ", "
                                        + a.windowEnd()
                                        + ") = "
                                        + a.mentions())
                .toList();
    }

    @Test
    void firesAtTheWindowEndUpdatesWithinLatenessAndSendsLaterMentionsAside() throws Exception {
        try (var h = harness()) {
            h.processElement(at("1", "all", 5));
            h.processElement(at("2", "all", 50));
            h.processElement(at("3", "price", 20));
            h.processWatermark(new Watermark(T0.plusSeconds(59).toEpochMilli()));
            assertThat(fired(h.getOutput())).isEmpty();

            h.processWatermark(new Watermark(T0.plusSeconds(60).toEpochMilli() - 1));
            assertThat(fired(h.getOutput()))
                    .containsExactlyInAnyOrder(
                            "all [2026-11-23T10:00:00Z, 2026-11-23T10:01:00Z) = 2",
                            "price [2026-11-23T10:00:00Z, 2026-11-23T10:01:00Z) = 1");
            h.getOutput().clear();

            // within the allowed lateness: the window fires again with the new count (same document
            // id)
            h.processWatermark(new Watermark(T0.plusSeconds(80).toEpochMilli()));
            h.processElement(at("4", "all", 30));
            assertThat(fired(h.getOutput()))
                    .containsExactly("all [2026-11-23T10:00:00Z, 2026-11-23T10:01:00Z) = 3");
            h.getOutput().clear();

            // past the allowed lateness: nothing fires, the mention goes to the late output
            h.processWatermark(new Watermark(T0.plusSeconds(95).toEpochMilli()));
            h.processElement(at("5", "all", 40));
            assertThat(fired(h.getOutput())).isEmpty();
            assertThat(h.getSideOutput(MentionAnalyticsPipeline.LATE))
                    .extracting(r -> r.getValue().mention().id())
                    .containsExactly("5");
        }
    }

    @Test
    void dropsAllStateAndTimersOnceTheLatenessHasPassed() throws Exception {
        try (var h = harness()) {
            h.processElement(at("1", "all", 5));
            h.processElement(at("2", "price", 5));
            h.processElement(at("3", "all", 65));
            assertThat(h.numKeyedStateEntries()).isPositive();
            assertThat(h.numEventTimeTimers()).isPositive();

            h.processWatermark(new Watermark(T0.plusSeconds(120 + 30).toEpochMilli()));
            assertThat(fired(h.getOutput())).hasSize(3);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
