package io.echolot.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.alert.AlertSignal;
import io.echolot.alert.AlertType;
import io.echolot.alert.Driver;
import io.echolot.alert.Evidence;
import io.echolot.alert.Severity;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import io.echolot.window.BrandTopicKey;
import io.echolot.window.ScopedMention;
import io.echolot.window.StayActive;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.event.WatermarkEvent;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.io.PushingAsyncDataInput;
import org.apache.flink.streaming.runtime.streamrecord.LatencyMarker;
import org.apache.flink.streaming.runtime.streamrecord.RecordAttributes;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.StatusWatermarkValve;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The drivers operator: evidence per window, signals explained, baseline folded, idle cleanup. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExplainSignalsTest {

    private static final long W = 60_000;
    private static final Duration IDLE = Duration.ofHours(2);

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, ScopedMention, AlertSignal, AlertSignal>
            harness() throws Exception {
        var h = unopened("hashmap");
        h.open();
        return h;
    }

    private static AlertSignal signal(AlertType type, long windowStart, long windowEnd) {
        return AlertSignal.builder()
                .type(type)
                .brand("strider")
                .topic("all")
                .severity(Severity.HIGH)
                .evidence(
                        Evidence.of(
                                Instant.ofEpochMilli(windowStart),
                                Instant.ofEpochMilli(windowEnd),
                                400,
                                50,
                                0.99))
                .build();
    }

    private static void send(
            KeyedTwoInputStreamOperatorTestHarness<String, ScopedMention, AlertSignal, AlertSignal>
                    h,
            Mention m)
            throws Exception {
        h.processElement1(new ScopedMention("strider", "all", m), m.eventTimeMillis());
    }

    @Test
    void explainsASpikeByItsWindowsAgainstTheFoldedBaseline() throws Exception {
        var h = harness();
        Random r = new Random(3);
        for (int w = 0; w < 30; w++) {
            for (int i = 0; i < 40; i++) {
                send(h, ExplainFixtures.organic(r, w + "-" + i, w * W + i * 1_000));
            }
            h.processBothWatermarks(new Watermark((w + 1) * W - 1));
        }
        long spikeStart = 30 * W;
        for (int i = 0; i < 150; i++) {
            send(
                    h,
                    ExplainFixtures.mention(
                            "v" + i,
                            "Strider Laufschuh: Sohle löst sich nach zwei Tagen",
                            "sharer" + i,
                            300,
                            Platform.X,
                            spikeStart + i * 100));
        }
        // the detector's signal overtakes the window's last mentions: Flink does not order the
        // two inputs, so it waits for them
        h.processElement2(
                signal(AlertType.VIRAL_SPIKE, spikeStart, spikeStart + W), spikeStart + W - 1);
        // adverse-event and unanswered signals are not explained: they pass at once
        h.processElement2(
                signal(AlertType.ADVERSE_EVENT, spikeStart, spikeStart + W), spikeStart + W - 1);
        assertThat(h.extractOutputValues())
                .extracting(AlertSignal::type)
                .containsExactly(AlertType.ADVERSE_EVENT);
        for (int i = 150; i < 200; i++) {
            send(
                    h,
                    ExplainFixtures.mention(
                            "v" + i,
                            "Strider Laufschuh: Sohle löst sich nach zwei Tagen",
                            "sharer" + i,
                            300,
                            Platform.X,
                            spikeStart + i * 100));
        }
        h.processWatermark1(new Watermark(spikeStart + W - 1));
        assertThat(h.extractOutputValues()).hasSize(1);
        h.processWatermark2(new Watermark(spikeStart + W - 1));

        List<AlertSignal> out = h.extractOutputValues();
        assertThat(out).hasSize(2);
        AlertSignal explained = out.get(1);
        assertThat(explained.drivers()).isNotNull();
        assertThat(explained.drivers().mentions()).isEqualTo(200);
        // windows 0..26 are folded by the spike window's watermark, 27..29 are still retained and
        // join the baseline for this signal: 40 mentions each, decayed by 1 - 1/240 per window
        double d = 1 - 1.0 / 240;
        double folded = 40 * (1 - Math.pow(d, 30)) / (1 - d);
        assertThat(explained.drivers().baselineMentions())
                .isCloseTo(folded, org.assertj.core.data.Offset.offset(0.01));
        List<Driver> drivers = explained.drivers().drivers();
        // the post's overlapping phrases chained into one driver, then its other phrase
        assertThat(drivers.subList(0, 2))
                .extracting(Driver::kind, Driver::value, Driver::observed)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "phrase", "strider laufschuh sohle loest", 200L),
                        org.assertj.core.groups.Tuple.tuple("phrase", "zwei tagen", 200L));
        assertThat(drivers.get(0).expected()).isLessThan(1.0);
        // the words of those phrases are not listed again; the platform all shares were on is
        assertThat(drivers)
                .extracting(Driver::value)
                .doesNotContain("laufschuh", "loest", "tagen", "sohle")
                .contains("x");
        assertThat(explained.drivers().firstTimeAuthorShare()).isEqualTo(1.0);
        assertThat(out.get(0).drivers()).isNull();
        // one fold timer per window not folded yet (27 to 30) and the idle timer; none waiting
        assertThat(h.numEventTimeTimers()).isEqualTo(5);
        h.close();
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, ScopedMention, AlertSignal, AlertSignal>
            unopened(String backend) throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new ExplainSignalsOperator(
                                new ExplainSignals(
                                        Duration.ofMinutes(1), Duration.ZERO, 3, 240, IDLE)),
                        new BrandTopicKey(),
                        new SignalScopeKey(),
                        Types.STRING);
        if (backend.equals("rocksdb")) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return h;
    }

    private static void send(
            KeyedTwoInputStreamOperatorTestHarness<String, ScopedMention, AlertSignal, AlertSignal>
                    h,
            String brand,
            int from,
            int to,
            long start)
            throws Exception {
        for (int i = from; i < to; i++) {
            Mention m =
                    ExplainFixtures.mention(
                            brand + i,
                            "Strider Laufschuh: Sohle löst sich nach zwei Tagen",
                            "author" + i,
                            10,
                            Platform.X,
                            start + i * 1_000);
            h.processElement1(new ScopedMention(brand, "all", m), m.eventTimeMillis());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aCheckpointKeepsTheWindowsStillBeingCounted(String backend) throws Exception {
        var h = unopened(backend);
        h.open();
        long start = 20 * W;
        send(h, "strider", 0, 20, start);
        h.snapshot(1, start + 20_000);
        // the window existed at the last checkpoint and changes after it; a second key is the
        // operator's key when the next checkpoint is taken
        send(h, "strider", 20, 40, start);
        send(h, "quillon", 0, 7, start);
        // the windows are open and in memory when the checkpoint is taken; the job then fails
        var snapshot = h.snapshot(2, start + 40_000);
        h.close();

        var restored = unopened(backend);
        restored.initializeState(snapshot);
        restored.open();
        send(restored, "strider", 40, 50, start);
        restored.processElement2(signal(AlertType.VIRAL_SPIKE, start, start + W), start + W - 1);
        AlertSignal other =
                AlertSignal.builder()
                        .type(AlertType.VIRAL_SPIKE)
                        .brand("quillon")
                        .topic("all")
                        .severity(Severity.HIGH)
                        .evidence(
                                Evidence.of(
                                        Instant.ofEpochMilli(start),
                                        Instant.ofEpochMilli(start + W),
                                        7,
                                        1,
                                        0.99))
                        .build();
        restored.processElement2(other, start + W - 1);
        restored.processBothWatermarks(new Watermark(start + W - 1));

        List<AlertSignal> out = restored.extractOutputValues();
        assertThat(out)
                .extracting(AlertSignal::brand, a -> a.drivers().mentions())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("strider", 50L),
                        org.assertj.core.groups.Tuple.tuple("quillon", 7L));
        restored.close();
    }

    @Test
    void forgetsAnIdleKey() throws Exception {
        var h = harness();
        Random r = new Random(4);
        for (int i = 0; i < 10; i++) {
            send(h, ExplainFixtures.organic(r, "a" + i, i * 1_000));
        }
        h.processBothWatermarks(new Watermark(5 * W));
        assertThat(h.numKeyedStateEntries()).isGreaterThan(0);
        h.processBothWatermarks(new Watermark(5 * W + IDLE.toMillis()));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    @Test
    void leavesMentionsOfFoldedWindowsOut() throws Exception {
        var h = harness();
        h.processBothWatermarks(new Watermark(10 * W));
        send(h, ExplainFixtures.organic(new Random(5), "late", 0));
        assertThat(h.numKeyedStateEntries()).isZero();
        h.close();
    }

    @Test
    void aSignalNeverFallsBehindTheWatermarkWhileTheSignalsInputIsMarkedIdle() throws Exception {
        var h = harness();
        // the source was idle at start-up; its mentions resume first, through one hop, while the
        // signals computed from the same records are still on their way through the detectors
        h.processWatermarkStatus1(WatermarkStatus.IDLE);
        h.processWatermarkStatus2(WatermarkStatus.IDLE);
        h.processWatermarkStatus1(WatermarkStatus.ACTIVE);
        long burst = 13 * W;
        for (int i = 0; i < 30; i++) {
            send(
                    h,
                    ExplainFixtures.mention(
                            "n" + i,
                            "Strider Laufschuh: Sohle löst sich nach zwei Tagen",
                            "author" + i,
                            10,
                            Platform.X,
                            burst + i * 1_000));
        }
        long backlogEnd = 22 * W - 1_001;
        h.processWatermark1(new Watermark(backlogEnd));
        // event time waits for the signals input although it is marked idle
        assertThat(h.getOutput()).noneMatch(e -> e instanceof Watermark);

        h.processWatermarkStatus2(WatermarkStatus.ACTIVE);
        h.processElement2(signal(AlertType.NEGATIVE_BURST, burst, burst + W), burst + W - 1);
        h.processWatermark2(new Watermark(backlogEnd));

        List<Object> out =
                h.getOutput().stream()
                        .filter(e -> e instanceof StreamRecord || e instanceof Watermark)
                        .map(e -> e instanceof StreamRecord<?> r ? r.getValue() : e)
                        .toList();
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isInstanceOf(AlertSignal.class);
        // explained by its own window, not after that window was folded into the baseline
        assertThat(((AlertSignal) out.get(0)).drivers().topReach()).isNotEmpty();
        assertThat(out.get(1)).isEqualTo(new Watermark(backlogEnd));
        h.close();
    }

    @Test
    void aSpikeSignalNeverFallsBehindTheWatermarkWhenTheNegativeBurstPathResumesFirst()
            throws Exception {
        long spike = 13 * W;
        long backlogEnd = 22 * W - 1_001;
        // what the task that combines the source's subtasks sends down every path: the source was
        // idle at start-up, then resumed with a backlog
        var combined = new OneInputStreamOperatorTestHarness<>(new StayActive<Mention>());
        combined.open();
        combined.processWatermarkStatus(WatermarkStatus.IDLE);
        List<Object> startUp = List.copyOf(combined.getOutput());
        combined.getOutput().clear();
        combined.processWatermarkStatus(WatermarkStatus.ACTIVE);
        combined.processWatermark(new Watermark(backlogEnd));
        List<Object> resumed = List.copyOf(combined.getOutput());
        combined.close();

        var h = harness();
        // the signals input is a union: negative bursts (channel 0, three hops after the windows)
        // and spike signals (channel 1, four hops); Flink's valve in front of the input combines
        // them and leaves out a channel marked idle. Every path forwards what it was sent.
        int negative = 0;
        int spikes = 1;
        StatusWatermarkValve valve = new StatusWatermarkValve(2);
        PushingAsyncDataInput.DataOutput<AlertSignal> signalsInput = signalsInputOf(h);
        // the start-up reaches every path before the backlog does
        replay(startUp, h);
        replay(startUp, valve, negative, signalsInput);
        replay(startUp, valve, spikes, signalsInput);
        for (int i = 0; i < 30; i++) {
            send(
                    h,
                    ExplainFixtures.mention(
                            "s" + i,
                            "Strider Laufschuh: alle reden davon",
                            "author" + i,
                            10,
                            Platform.X,
                            spike + i * 1_000));
        }
        // then the backlog: the mentions arrive first, then the negative-burst path (it had
        // nothing to signal), last the spike path with its signal about the same backlog
        replay(resumed, h);
        replay(resumed, valve, negative, signalsInput);
        h.processElement2(signal(AlertType.VIRAL_SPIKE, spike, spike + W), spike + W - 1);
        replay(resumed, valve, spikes, signalsInput);

        List<Object> out =
                h.getOutput().stream()
                        .filter(e -> e instanceof StreamRecord || e instanceof Watermark)
                        .map(e -> e instanceof StreamRecord<?> r ? r.getValue() : e)
                        .toList();
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isInstanceOf(AlertSignal.class);
        assertThat(((AlertSignal) out.get(0)).drivers().topReach()).isNotEmpty();
        assertThat(out.get(1)).isEqualTo(new Watermark(backlogEnd));
        h.close();
    }

    private static void replay(
            List<Object> sent,
            KeyedTwoInputStreamOperatorTestHarness<String, ScopedMention, AlertSignal, AlertSignal>
                    mentionsInput)
            throws Exception {
        for (Object e : sent) {
            if (e instanceof Watermark w) {
                mentionsInput.processWatermark1(w);
            } else {
                mentionsInput.processWatermarkStatus1((WatermarkStatus) e);
            }
        }
    }

    private static void replay(
            List<Object> sent,
            StatusWatermarkValve valve,
            int channel,
            PushingAsyncDataInput.DataOutput<AlertSignal> input)
            throws Exception {
        for (Object e : sent) {
            if (e instanceof Watermark w) {
                valve.inputWatermark(w, channel, input);
            } else {
                valve.inputWatermarkStatus((WatermarkStatus) e, channel, input);
            }
        }
    }

    /** The drivers' signals input as the task feeds it from its valve. */
    private static PushingAsyncDataInput.DataOutput<AlertSignal> signalsInputOf(
            KeyedTwoInputStreamOperatorTestHarness<String, ScopedMention, AlertSignal, AlertSignal>
                    h) {
        return new PushingAsyncDataInput.DataOutput<>() {
            @Override
            public void emitRecord(StreamRecord<AlertSignal> r) throws Exception {
                h.processElement2(r);
            }

            @Override
            public void emitWatermark(Watermark w) throws Exception {
                h.processWatermark2(w);
            }

            @Override
            public void emitWatermarkStatus(WatermarkStatus s) throws Exception {
                h.processWatermarkStatus2(s);
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
