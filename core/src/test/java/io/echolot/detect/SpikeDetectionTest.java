package io.echolot.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.model.WindowAggregate;
import io.echolot.testing.CollectingSink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Baseline, CEP and cooldown together on a MiniCluster, in event time, on bounded input. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SpikeDetectionTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final int DAYS3 = 3 * 288;
    private static final int SPIKE = 2 * 288 + 150; // day 3, 12:30 UTC

    record Output(List<SpikeScore> scores, List<SpikeAlert> alerts) {}

    static Output run(List<WindowAggregate> input, SpikeSettings settings) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        List<WindowAggregate> sorted = new ArrayList<>(input);
        sorted.sort(Comparator.comparing(WindowAggregate::windowEnd));
        SpikeDetection.Result result =
                SpikeDetection.apply(
                        env.fromData(sorted, TypeInformation.of(WindowAggregate.class))
                                .assignTimestampsAndWatermarks(
                                        WatermarkStrategy.<WindowAggregate>forMonotonousTimestamps()
                                                .withTimestampAssigner(new AtWindowEnd())),
                        settings);
        CollectingSink<SpikeScore> scores = new CollectingSink<>();
        CollectingSink<SpikeAlert> alerts = new CollectingSink<>();
        result.scores().sinkTo(scores);
        result.alerts().sinkTo(alerts);
        env.execute("spike-detection-test");
        return new Output(scores.values(), alerts.values());
    }

    /** As the window operator stamps its output: the window's last millisecond. */
    static final class AtWindowEnd implements SerializableTimestampAssigner<WindowAggregate> {
        private static final long serialVersionUID = 1L;

        @Override
        public long extractTimestamp(WindowAggregate element, long recordTimestamp) {
            return element.windowEnd().toEpochMilli() - 1;
        }
    }

    private static Instant window(int i) {
        return SyntheticCounts.T0.plus(SyntheticCounts.WINDOW.multipliedBy(i));
    }

    @Test
    void raisesOneAlertForAViralSpikeAndNoneForAFlatSeries() throws Exception {
        long[] spiky = SyntheticCounts.poisson(DAYS3, SyntheticCounts.daily(20), 1);
        long[] burst = {150, 320, 410, 260, 120, 90};
        System.arraycopy(burst, 0, spiky, SPIKE, burst.length);
        spiky[SPIKE + 30] = 380; // an aftershock 2.5 h later: the same incident
        long[] flat = SyntheticCounts.poisson(DAYS3, i -> 20, 2);
        List<WindowAggregate> input = new ArrayList<>();
        input.addAll(SyntheticCounts.aggregates("spiky", spiky));
        input.addAll(SyntheticCounts.aggregates("flat", flat));

        Output out = run(input, SpikeSettings.defaults());

        assertThat(out.scores()).hasSize(2 * DAYS3);
        assertThat(out.alerts()).hasSize(1);
        SpikeAlert alert = out.alerts().get(0);
        assertThat(alert.brand()).isEqualTo("spiky");
        assertThat(alert.topic()).isEqualTo(WindowAggregate.ALL_TOPICS);
        assertThat(alert.type()).isEqualTo(SpikeAlert.SPIKE);
        assertThat(alert.status()).isEqualTo(AlertStatus.OPEN);
        assertThat(alert.trigger()).isEqualTo(ExtremeWindowPattern.NAME);
        assertThat(alert.incidentStart()).isEqualTo(window(SPIKE));
        assertThat(alert.windowStart()).isEqualTo(window(SPIKE));
        assertThat(alert.windowEnd()).isEqualTo(window(SPIKE + 1));
        assertThat(alert.observed()).isEqualTo(150);
        assertThat(alert.alertId())
                .isEqualTo(SpikeAlert.idOf("spiky", "all", SpikeAlert.SPIKE, window(SPIKE)));
    }

    @Test
    void confirmsASustainedRiseThatNoSingleWindowWouldRaise() throws Exception {
        long[] counts = SyntheticCounts.poisson(DAYS3, i -> 20, 5);
        long[] rise = {60, 64, 70, 72};
        System.arraycopy(rise, 0, counts, SPIKE, rise.length);
        SpikeSettings settings =
                new SpikeSettings(
                        BaselineSettings.defaults(),
                        List.of(
                                new ExtremeWindowPattern(1e-30, 10, 2.0),
                                new RisingWindowsPattern(3, 1e-6, 10, 2.0, Duration.ofMinutes(30))),
                        Duration.ofHours(24));

        Output out = run(SyntheticCounts.aggregates("acme", counts), settings);

        assertThat(out.alerts()).hasSize(1);
        SpikeAlert alert = out.alerts().get(0);
        assertThat(alert.trigger()).isEqualTo(RisingWindowsPattern.NAME);
        assertThat(alert.incidentStart()).isEqualTo(window(SPIKE));
        assertThat(alert.windowStart()).isEqualTo(window(SPIKE + 2));
        assertThat(alert.windows()).isEqualTo(3);
        assertThat(alert.observed()).isEqualTo(70);
    }

    @Test
    void confirmsRepeatedSurprisingWindowsHoursApartButNotOneAlone() throws Exception {
        long[] waves = SyntheticCounts.poisson(DAYS3, i -> 20, 7);
        waves[SPIKE] = 48;
        waves[SPIKE + 36] = 47; // 3 hours later, within the 6-hour bound
        long[] once = SyntheticCounts.poisson(DAYS3, i -> 20, 8);
        once[SPIKE] = 48;
        List<WindowAggregate> input = new ArrayList<>();
        input.addAll(SyntheticCounts.aggregates("waves", waves));
        input.addAll(SyntheticCounts.aggregates("once", once));

        Output out = run(input, SpikeSettings.defaults());

        assertThat(out.alerts()).hasSize(1);
        SpikeAlert alert = out.alerts().get(0);
        assertThat(alert.brand()).isEqualTo("waves");
        assertThat(alert.trigger()).isEqualTo(RepeatedWindowsPattern.NAME);
        assertThat(alert.incidentStart()).isEqualTo(window(SPIKE));
        assertThat(alert.windowStart()).isEqualTo(window(SPIKE + 36));
        assertThat(alert.windows()).isEqualTo(2);
        assertThat(alert.observed()).isEqualTo(48);
    }
}
