package io.echolot.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.event.WatermarkEvent;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.io.PushingAsyncDataInput;
import org.apache.flink.streaming.runtime.streamrecord.LatencyMarker;
import org.apache.flink.streaming.runtime.streamrecord.RecordAttributes;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.StatusWatermarkValve;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The operator below which no path is ever marked idle. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StayActiveTest {

    @Test
    void passesTheSourcesHighestWatermarkOnButNeverItsIdleness() throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new StayActive<String>());
        h.open();
        // the task's input combines two source subtasks; the second has no partition
        StatusWatermarkValve valve = new StatusWatermarkValve(2);
        PushingAsyncDataInput.DataOutput<String> input = inputOf(h);
        valve.inputWatermarkStatus(WatermarkStatus.IDLE, 1, input);
        h.processElement(new StreamRecord<>("a", 1_000));
        valve.inputWatermark(new Watermark(900), 0, input);
        // a quiet spell: the source marks itself idle
        valve.inputWatermarkStatus(WatermarkStatus.IDLE, 0, input);
        // and resumes
        valve.inputWatermarkStatus(WatermarkStatus.ACTIVE, 0, input);
        h.processElement(new StreamRecord<>("b", 5_000));
        valve.inputWatermark(new Watermark(4_900), 0, input);

        assertThat(h.getOutput())
                .containsExactly(
                        new StreamRecord<>("a", 1_000),
                        new Watermark(900),
                        new StreamRecord<>("b", 5_000),
                        new Watermark(4_900));
        h.close();
    }

    private static PushingAsyncDataInput.DataOutput<String> inputOf(
            OneInputStreamOperatorTestHarness<String, String> h) {
        return new PushingAsyncDataInput.DataOutput<>() {
            @Override
            public void emitRecord(StreamRecord<String> r) throws Exception {
                h.processElement(r);
            }

            @Override
            public void emitWatermark(Watermark w) throws Exception {
                h.processWatermark(w);
            }

            @Override
            public void emitWatermarkStatus(WatermarkStatus s) throws Exception {
                h.processWatermarkStatus(s);
            }

            @Override
            public void emitLatencyMarker(LatencyMarker m) {}

            @Override
            public void emitRecordAttributes(RecordAttributes a) {}

            @Override
            public void emitWatermark(WatermarkEvent w) {}
        };
    }
}
