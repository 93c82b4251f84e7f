package io.echolot.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class ResumeEventTimeTest {

    private static OneInputStreamOperatorTestHarness<String, String> harness(
            int parallelism, int subtask) throws Exception {
        return new OneInputStreamOperatorTestHarness<>(
                new ResumeEventTime<String>(), 128, parallelism, subtask);
    }

    /** Runs a subtask to watermark {@code mark} and snapshots it. */
    private static OperatorSubtaskState stoppedAt(long mark, int parallelism, int subtask)
            throws Exception {
        try (var h = harness(parallelism, subtask)) {
            h.open();
            h.processElement("before", mark - 5);
            h.processWatermark(new Watermark(mark));
            return h.snapshot(1, 1);
        }
    }

    private static OneInputStreamOperatorTestHarness<String, String> restored(
            OperatorSubtaskState state) throws Exception {
        var h = harness(1, 0);
        h.initializeState(state);
        h.open();
        return h;
    }

    private static List<Object> output(OneInputStreamOperatorTestHarness<String, String> h) {
        return List.copyOf(h.getOutput());
    }

    @Test
    void afterARestoreEventTimeResumesAtTheCheckpointsWatermarkBeforeTheFirstRecord()
            throws Exception {
        try (var h = restored(stoppedAt(1_000, 1, 0))) {
            // the replay: the source's first watermark comes from older records
            h.processWatermark(new Watermark(400));
            h.processElement("late", 100);
            h.processWatermark(new Watermark(1_000));
            h.processWatermark(new Watermark(1_200));
            assertThat(output(h))
                    .containsExactly(
                            new Watermark(1_000),
                            new StreamRecord<>("late", 100),
                            new Watermark(1_200));
        }
    }

    @Test
    void theRestoredWatermarkGoesOutAsSoonAsTheTaskRunsWithoutWaitingForARecord() throws Exception {
        try (var h = restored(stoppedAt(1_000, 1, 0))) {
            assertThat(output(h)).isEmpty();
            h.setProcessingTime(h.getProcessingTime() + 1);
            assertThat(output(h)).containsExactly(new Watermark(1_000));
            h.processElement("x", 2_000);
            assertThat(output(h))
                    .containsExactly(new Watermark(1_000), new StreamRecord<>("x", 2_000));
        }
    }

    @Test
    void aFreshStartPassesEverythingOnAsItComes() throws Exception {
        try (var h = harness(1, 0)) {
            h.open();
            h.processElement("a", 100);
            h.processWatermark(new Watermark(50));
            h.processWatermark(new Watermark(40));
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            h.processWatermarkStatus(WatermarkStatus.ACTIVE);
            h.setProcessingTime(h.getProcessingTime() + 1);
            assertThat(output(h))
                    .containsExactly(
                            new StreamRecord<>("a", 100),
                            new Watermark(50),
                            WatermarkStatus.IDLE,
                            WatermarkStatus.ACTIVE);
        }
    }

    @Test
    void anOutputIdleAtTheCheckpointResumesIdleAndTurnsActiveWithItsNextRecord() throws Exception {
        OperatorSubtaskState idle;
        try (var h = harness(1, 0)) {
            h.open();
            h.processElement("before", 995);
            h.processWatermark(new Watermark(1_000));
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            idle = h.snapshot(1, 1);
        }
        try (var h = restored(idle)) {
            h.setProcessingTime(h.getProcessingTime() + 1);
            // the restarted source never announced idleness: its record comes as from an active one
            h.processElement("resumed", 5_000);
            h.processWatermark(new Watermark(4_000));
            assertThat(output(h))
                    .containsExactly(
                            new Watermark(1_000),
                            WatermarkStatus.IDLE,
                            WatermarkStatus.ACTIVE,
                            new StreamRecord<>("resumed", 5_000),
                            new Watermark(4_000));
        }
    }

    @Test
    void aRestoreThatPassedNothingOnYetKeepsTheWatermarkForTheNextCheckpoint() throws Exception {
        OperatorSubtaskState second;
        try (var h = restored(stoppedAt(1_000, 1, 0))) {
            second = h.snapshot(2, 2);
        }
        try (var h = restored(second)) {
            h.processElement("x", 10);
            assertThat(output(h))
                    .containsExactly(new Watermark(1_000), new StreamRecord<>("x", 10));
        }
    }

    @Test
    void theEndOfEventTimeIsNotKeptAcrossAStop() throws Exception {
        OperatorSubtaskState drained;
        try (var h = harness(1, 0)) {
            h.open();
            h.processWatermark(new Watermark(1_000));
            h.processWatermark(Watermark.MAX_WATERMARK);
            drained = h.snapshot(1, 1);
        }
        try (var h = restored(drained)) {
            h.setProcessingTime(h.getProcessingTime() + 1);
            h.processElement("x", 10);
            assertThat(output(h)).containsExactly(new StreamRecord<>("x", 10));
        }
    }

    @Test
    void aSubtaskThatNeverHadAWatermarkResumesNothingAndTheOthersTheirOwn() throws Exception {
        OperatorSubtaskState withoutPartitions;
        try (var h = harness(2, 1)) {
            h.open();
            withoutPartitions = h.snapshot(1, 1);
        }
        OperatorSubtaskState withData = stoppedAt(1_000, 2, 0);
        try (var h = harness(2, 1)) {
            h.initializeState(withoutPartitions);
            h.open();
            h.setProcessingTime(h.getProcessingTime() + 1);
            assertThat(output(h)).isEmpty();
        }
        try (var h = harness(2, 0)) {
            h.initializeState(withData);
            h.open();
            h.setProcessingTime(h.getProcessingTime() + 1);
            assertThat(output(h)).containsExactly(new Watermark(1_000));
        }
    }

    @Test
    void afterScalingInASubtaskResumesAtTheLowestActiveWatermarkOfItsEntries() throws Exception {
        OperatorSubtaskState idleAhead;
        try (var h = harness(3, 2)) {
            h.open();
            h.processWatermark(new Watermark(300));
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            idleAhead = h.snapshot(1, 1);
        }
        OperatorSubtaskState all =
                AbstractStreamOperatorTestHarness.repackageState(
                        stoppedAt(1_000, 3, 0), stoppedAt(700, 3, 1), idleAhead);
        try (var h = harness(1, 0)) {
            h.setup();
            h.initializeState(
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(all, 128, 3, 1, 0));
            h.open();
            h.setProcessingTime(h.getProcessingTime() + 1);
            // the idle subtask held nothing back below it, and holds nothing back now
            assertThat(output(h)).containsExactly(new Watermark(700));
        }
    }
}
