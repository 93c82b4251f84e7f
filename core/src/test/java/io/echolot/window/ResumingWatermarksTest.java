package io.echolot.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkOutputMultiplexer;
import org.apache.flink.api.common.eventtime.WatermarksWithIdleness;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

class ResumingWatermarksTest {

    private final ManualClock clock = new ManualClock(TimeUnit.SECONDS.toNanos(1000));
    private final Output out = new Output();
    private final ResumingWatermarks<String> wm =
            new ResumingWatermarks<>(
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(3),
                    clock,
                    clock);

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
    void afterIdlenessMovesOneMillisecondAtOnceThenHoldsForTheGrace() {
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
                .as("active again right behind the first record, closing nothing, then still")
                .containsExactly("wm 3999", "idle", "active", "wm 4000");

        advance(1);
        wm.onPeriodicEmit(out);
        assertThat(out.events).endsWith("wm 598999");
    }

    @Test
    void aSpellShorterThanTheGraceEndsWithItsWatermarkBeforeIdle() {
        ResumingWatermarks<String> slow =
                new ResumingWatermarks<>(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(2),
                        clock,
                        clock);
        slow.onEvent("a", 5_000, out);
        advance(3);
        slow.onPeriodicEmit(out);
        slow.onEvent("b", 60_000, out);
        slow.onEvent("c", 600_000, out);
        clock.advanceTime(Duration.ofMillis(1900));
        slow.onPeriodicEmit(out);
        clock.advanceTime(Duration.ofMillis(200));
        slow.onPeriodicEmit(out);

        assertThat(out.events)
                .containsExactly("wm 3999", "idle", "active", "wm 4000", "wm 598999", "idle");
    }

    @Test
    void afterIdlenessTheFirstRecordThatMovesTheWatermarkSendsItAndStartsTheGrace() {
        wm.onEvent("a", 5_000, out);
        wm.onPeriodicEmit(out);
        advance(11);
        wm.onPeriodicEmit(out);
        // a late record first: nothing to move forward yet
        wm.onEvent("old", 1_000, out);
        wm.onPeriodicEmit(out);
        advance(1);
        wm.onEvent("b", 60_000, out);
        wm.onEvent("c", 600_000, out);
        advance(2);
        wm.onPeriodicEmit(out);
        assertThat(out.events).containsExactly("wm 3999", "idle", "active", "wm 4000");
        advance(1);
        wm.onPeriodicEmit(out);
        assertThat(out.events).endsWith("wm 598999");
    }

    @Test
    void theGraceRunsOnTheWallClockNotOnTheInputActivityClock() {
        ManualClock wall = new ManualClock(TimeUnit.SECONDS.toNanos(5000));
        ResumingWatermarks<String> backPressured =
                new ResumingWatermarks<>(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(3),
                        clock,
                        wall);
        backPressured.onEvent("a", 5_000, out);
        advance(11);
        backPressured.onPeriodicEmit(out);
        backPressured.onEvent("b", 60_000, out);
        backPressured.onEvent("c", 600_000, out);
        // back-pressured: the input activity clock stands still, the wall clock runs on
        wall.advanceTime(Duration.ofSeconds(3));
        backPressured.onPeriodicEmit(out);

        assertThat(out.events).endsWith("wm 4000", "wm 598999");
    }

    @Test
    void throughFlinksWatermarkMultiplexerTheResumedPartitionIsActiveRightAfterItsFirstRecord() {
        Downstream down = new Downstream();
        WatermarkOutputMultiplexer mux = new WatermarkOutputMultiplexer(down);
        mux.registerNewOutput("p0");
        WatermarkOutput onEvent = mux.getImmediateOutput("p0");
        WatermarkOutput periodic = mux.getDeferredOutput("p0");
        wm.onEvent("a", 5_000, onEvent);
        tick(wm, periodic, mux);
        advance(11);
        tick(wm, periodic, mux);
        assertThat(down.events).containsExactly("wm 3999", "idle");

        wm.onEvent("b", 60_000, onEvent);
        assertThat(down.events)
                .as("active downstream before the next record is sent")
                .endsWith("active", "wm 4000");
        wm.onEvent("c", 600_000, onEvent);
        tick(wm, periodic, mux);
        assertThat(down.events).endsWith("wm 4000");
        advance(3);
        tick(wm, periodic, mux);
        assertThat(down.events).endsWith("wm 598999");
    }

    @Test
    void flinksOwnIdlenessLeavesTheResumedPartitionIdleWhileItsRecordsFlow() {
        Downstream down = new Downstream();
        WatermarkOutputMultiplexer mux = new WatermarkOutputMultiplexer(down);
        mux.registerNewOutput("p0");
        WatermarkOutput onEvent = mux.getImmediateOutput("p0");
        WatermarkOutput periodic = mux.getDeferredOutput("p0");
        WatermarkGenerator<String> flink =
                new WatermarksWithIdleness<>(
                        new BoundedOutOfOrdernessWatermarks<>(Duration.ofSeconds(1)),
                        Duration.ofSeconds(10),
                        clock);
        flink.onEvent("a", 5_000, onEvent);
        tick(flink, periodic, mux);
        // Flink's idleness counts from the first quiet periodic emit
        tick(flink, periodic, mux);
        advance(11);
        tick(flink, periodic, mux);
        flink.onEvent("b", 60_000, onEvent);
        flink.onEvent("c", 600_000, onEvent);

        // both records are out while downstream still sees the partition idle; the next periodic
        // emit jumps straight past them
        assertThat(down.events).containsExactly("wm 3999", "idle");
        tick(flink, periodic, mux);
        assertThat(down.events).endsWith("active", "wm 598999");
    }

    private static void tick(
            WatermarkGenerator<String> generator,
            WatermarkOutput periodic,
            WatermarkOutputMultiplexer mux) {
        generator.onPeriodicEmit(periodic);
        mux.onPeriodicEmit();
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

    /** The clock reads 1,000 s: a record dated 9 minutes ahead moves event time only to now. */
    @Test
    void aRecordDatedAheadOfTheClockMovesEventTimeOnlyToNow() {
        wm.onEvent("now", 999_000, out);
        wm.onEvent("ahead", 1_000_000 + 9 * 60_000, out);
        wm.onPeriodicEmit(out);
        // the records of the next seconds, dated before now, are not behind the watermark
        wm.onEvent("next", 999_500, out);
        assertThat(out.events).containsExactly("wm 998999");
        // and as the clock reaches the record's date, event time follows it
        clock.advanceTime(Duration.ofMinutes(10));
        wm.onEvent("later", 1_000_000 + 10 * 60_000, out);
        wm.onPeriodicEmit(out);
        assertThat(out.events).endsWith("wm 1598999");
    }

    @Test
    void refusesAnIdlenessOfZero() {
        assertThatThrownBy(
                        () ->
                                new ResumingWatermarks<String>(
                                        Duration.ofSeconds(1),
                                        Duration.ZERO,
                                        Duration.ZERO,
                                        clock,
                                        clock))
                .hasMessageContaining("idleness must be positive");
    }

    private void advance(long seconds) {
        clock.advanceTime(Duration.ofSeconds(seconds));
    }

    /** Like the source operator's output: a watermark after idleness marks the stream active. */
    private static final class Downstream implements WatermarkOutput {
        final List<String> events = new ArrayList<>();
        private boolean idle;

        @Override
        public void emitWatermark(Watermark watermark) {
            if (idle) {
                idle = false;
                events.add("active");
            }
            events.add("wm " + watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            if (!idle) {
                idle = true;
                events.add("idle");
            }
        }

        @Override
        public void markActive() {
            if (idle) {
                idle = false;
                events.add("active");
            }
        }
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
