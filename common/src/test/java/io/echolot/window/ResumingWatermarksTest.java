package io.echolot.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

class ResumingWatermarksTest {

    private final ManualClock clock = new ManualClock(TimeUnit.SECONDS.toNanos(1000));
    private final Output out = new Output();
    private final ResumingWatermarks<String> wm =
            new ResumingWatermarks<>(
                    Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(3), clock);

    @Test
    void followsTheRecordsLessTheOutOfOrdernessWhileTheyFlow() {
        wm.onEvent("a", 5_000, out);
        wm.onPeriodicEmit(out);
        wm.onEvent("b", 9_000, out);
        wm.onEvent("c", 7_000, out);
        advance(1);
        wm.onPeriodicEmit(out);

        assertThat(out.events).containsExactly("wm 3999", "wm 7999");
    }

    @Test
    void marksTheOutputIdleOnceAfterTheIdleness() {
        wm.onEvent("a", 5_000, out);
        wm.onPeriodicEmit(out);
        advance(10);
        wm.onPeriodicEmit(out);
        advance(1);
        wm.onPeriodicEmit(out);
        wm.onPeriodicEmit(out);

        assertThat(out.events).containsExactly("wm 3999", "idle");
    }

    @Test
    void afterIdlenessMovesToTheFirstRecordAtOnceThenHoldsForTheGrace() {
        wm.onEvent("a", 5_000, out);
        wm.onPeriodicEmit(out);
        advance(11);
        wm.onPeriodicEmit(out);

        // a batch spanning ten minutes of event time comes in at once
        wm.onEvent("b", 60_000, out);
        wm.onEvent("c", 600_000, out);
        wm.onPeriodicEmit(out);
        advance(2);
        wm.onPeriodicEmit(out);
        assertThat(out.events)
                .as("active again right behind the first record, then still")
                .containsExactly("wm 3999", "idle", "wm 58999");

        advance(1);
        wm.onPeriodicEmit(out);
        assertThat(out.events).endsWith("wm 598999");
    }

    @Test
    void aSpellShorterThanTheGraceEndsWithItsWatermarkBeforeIdle() {
        ResumingWatermarks<String> slow =
                new ResumingWatermarks<>(
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2), clock);
        slow.onEvent("a", 5_000, out);
        advance(3);
        slow.onPeriodicEmit(out);
        slow.onEvent("b", 60_000, out);
        slow.onEvent("c", 600_000, out);
        clock.advanceTime(Duration.ofMillis(1900));
        slow.onPeriodicEmit(out);
        clock.advanceTime(Duration.ofMillis(200));
        slow.onPeriodicEmit(out);

        assertThat(out.events).containsExactly("wm 3999", "idle", "wm 58999", "wm 598999", "idle");
    }

    @Test
    void aResumedRecordBehindTheWatermarkOnlyMarksActive() {
        wm.onEvent("a", 5_000, out);
        wm.onPeriodicEmit(out);
        advance(11);
        wm.onPeriodicEmit(out);
        wm.onEvent("old", 1_000, out);

        assertThat(out.events).containsExactly("wm 3999", "idle", "active");
    }

    @Test
    void noWatermarkBeforeTheFirstRecord() {
        wm.onPeriodicEmit(out);
        advance(11);
        wm.onPeriodicEmit(out);

        assertThat(out.events).containsExactly("idle");
    }

    @Test
    void theGraceIsTheIdlenessUpToFiveSeconds() {
        assertThat(ResumingWatermarks.graceFor(Duration.ofSeconds(2)))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(ResumingWatermarks.graceFor(Duration.ofMinutes(1)))
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void refusesAnIdlenessOfZero() {
        assertThatThrownBy(
                        () ->
                                new ResumingWatermarks<String>(
                                        Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO, clock))
                .hasMessageContaining("idleness must be positive");
    }

    private void advance(long seconds) {
        clock.advanceTime(Duration.ofSeconds(seconds));
    }

    private static final class Output implements WatermarkOutput {
        final List<String> events = new ArrayList<>();

        @Override
        public void emitWatermark(Watermark watermark) {
            events.add("wm " + watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            events.add("idle");
        }

        @Override
        public void markActive() {
            events.add("active");
        }
    }
}
