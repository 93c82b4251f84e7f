package io.echolot.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
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

    @Test
    void afterARestoreEventTimeResumesAtTheCheckpointsWatermarkBeforeTheFirstRecord()
            throws Exception {
        OperatorSubtaskState checkpoint = stoppedAt(1_000, 1, 0);
        try (var h = harness(1, 0)) {
            h.initializeState(checkpoint);
            h.open();
            assertThat(h.getOutput()).isEmpty();
            // the replay: the source's first watermark comes from older records
            h.processWatermark(new Watermark(400));
            h.processElement("late", 100);
            h.processWatermark(new Watermark(1_000));
            h.processWatermark(new Watermark(1_200));
            assertThat(List.copyOf(h.getOutput()))
                    .containsExactly(
                            new Watermark(1_000),
                            new StreamRecord<>("late", 100),
                            new Watermark(1_200));
        }
    }

    @Test
    void aFreshStartPassesEverythingOnAsItComes() throws Exception {
        try (var h = harness(1, 0)) {
            h.open();
            h.processElement("a", 100);
            h.processWatermark(new Watermark(50));
            h.processWatermark(new Watermark(40));
            assertThat(List.copyOf(h.getOutput()))
                    .containsExactly(new StreamRecord<>("a", 100), new Watermark(50));
        }
    }

    @Test
    void aRestoreThatPassedNothingOnYetKeepsTheWatermarkForTheNextCheckpoint() throws Exception {
        OperatorSubtaskState first = stoppedAt(1_000, 1, 0);
        OperatorSubtaskState second;
        try (var h = harness(1, 0)) {
            h.initializeState(first);
            h.open();
            second = h.snapshot(2, 2);
        }
        try (var h = harness(1, 0)) {
            h.initializeState(second);
            h.open();
            h.processElement("x", 10);
            assertThat(List.copyOf(h.getOutput()))
                    .containsExactly(new Watermark(1_000), new StreamRecord<>("x", 10));
        }
    }

    @Test
    void aSubtaskThatNeverHadAWatermarkDoesNotHoldTheOthersBack() throws Exception {
        OperatorSubtaskState withoutPartitions;
        try (var h = harness(2, 1)) {
            h.open();
            withoutPartitions = h.snapshot(1, 1);
        }
        OperatorSubtaskState both =
                AbstractStreamOperatorTestHarness.repackageState(
                        stoppedAt(1_000, 2, 0), withoutPartitions);
        try (var h = harness(2, 0)) {
            h.setup();
            h.initializeState(
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(both, 128, 2, 2, 0));
            h.open();
            h.processElement("x", 10);
            assertThat(List.copyOf(h.getOutput()))
                    .containsExactly(new Watermark(1_000), new StreamRecord<>("x", 10));
        }
    }

    @Test
    void afterRescalingEverySubtaskResumesAtTheLowestWatermarkOfAll() throws Exception {
        OperatorSubtaskState both =
                AbstractStreamOperatorTestHarness.repackageState(
                        stoppedAt(1_000, 2, 0), stoppedAt(700, 2, 1));
        for (int subtask = 0; subtask < 3; subtask++) {
            try (var h = harness(3, subtask)) {
                h.setup();
                h.initializeState(
                        AbstractStreamOperatorTestHarness.repartitionOperatorState(
                                both, 128, 2, 3, subtask));
                h.open();
                h.processElement("x", 10);
                assertThat(List.copyOf(h.getOutput()))
                        .containsExactly(new Watermark(700), new StreamRecord<>("x", 10));
            }
        }
    }
}
