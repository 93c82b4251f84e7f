package io.echolot.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.echolot.care.CustomerRecord;
import io.echolot.model.Platform;
import io.echolot.model.TopMention;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Evidence travels whole from a detector's signal into every state of its alert. */
class EvidenceTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    /** Evidence whose every field differs from the defaults and from the others. */
    static Evidence full() {
        return new Evidence(
                T0,
                T0.plusSeconds(300),
                123,
                17.5,
                0.97,
                List.of(
                        new TopMention(
                                "m-1", "https://x.example/1", Platform.X, "anna", "hi", 7, T0)),
                Map.of("x", 100L, "reddit", 23L),
                42L,
                0.31,
                new AlertDrivers(
                        List.of(new Driver("term", "recall", 90, 3.5, 0.9)),
                        List.of(
                                new ReachPost(
                                        "m-2",
                                        "https://x.example/2",
                                        Platform.X,
                                        "bernd",
                                        "text",
                                        5000)),
                        123,
                        40.5,
                        0.25,
                        0.125));
    }

    static AlertSignal signal(Evidence e) {
        return AlertSignal.builder()
                .type(AlertType.NEGATIVE_BURST)
                .brand("acme")
                .topic("shoes")
                .severity(Severity.HIGH)
                .evidence(e)
                .build();
    }

    @Test
    void ofLeavesPostsPlatformsGrowthAndDriversEmpty() {
        Evidence e = Evidence.of(T0, T0.plusSeconds(60), 3, 1, 0.5);
        assertThat(e)
                .isEqualTo(
                        new Evidence(
                                T0,
                                T0.plusSeconds(60),
                                3,
                                1,
                                0.5,
                                List.of(),
                                Map.of(),
                                null,
                                null,
                                null));
    }

    @Test
    void withMethodsSetOnlyTheirFields() {
        Evidence f = full();
        Evidence base = Evidence.of(f.windowStart(), f.windowEnd(), 123, 17.5, 0.97);
        assertThat(
                        base.withMentions(f.topMentions(), f.platforms())
                                .withGrowth(f.velocity(), f.reshareShare())
                                .withDrivers(f.drivers()))
                .isEqualTo(f);
        assertThat(f.withDrivers(null).drivers()).isNull();
        assertThat(f.withDrivers(null).withDrivers(f.drivers())).isEqualTo(f);
        assertThat(f.withGrowth(null, null).withGrowth(42L, 0.31)).isEqualTo(f);
    }

    @Test
    void aSignalKeepsEveryEvidenceField() {
        AlertSignal s = signal(full());
        assertThat(s.evidence()).isEqualTo(full());
        assertThat(s.windowStart()).isEqualTo(T0);
        assertThat(s.observed()).isEqualTo(123);
        assertThat(s.drivers()).isEqualTo(full().drivers());
        assertThat(s.opens()).isTrue();
    }

    @Test
    void aSignalBuilderWithoutEvidenceFails() {
        assertThatNullPointerException()
                .isThrownBy(() -> AlertSignal.builder().type(AlertType.VIRAL_SPIKE).build())
                .withMessageContaining("evidence");
    }

    @Test
    void aSignalRoundTripsThroughItsBuilderAndItsWithMethods() {
        AlertSignal s = signal(full()).asContinuation();
        assertThat(s.opens()).isFalse();
        assertThat(s.toBuilder().build()).isEqualTo(s);
        assertThat(s.withDrivers(null).drivers()).isNull();
        assertThat(s.withDrivers(null).withDrivers(full().drivers())).isEqualTo(s);
        assertThat(s.asContinuation().evidence()).isEqualTo(s.evidence());
    }

    @Test
    void everyStateOfTheAlertCarriesTheSignalsEvidence() throws Exception {
        AlertSignal s = signal(full());
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new AlertLifecycle(Duration.ofMinutes(10))),
                        new AlertKey(),
                        Types.STRING)) {
            h.open();
            h.processElement(new StreamRecord<>(s, s.windowEnd().toEpochMilli() - 1));
            h.processWatermark(new Watermark(s.windowEnd().plusSeconds(600).toEpochMilli()));
            List<Alert> out = h.extractOutputValues();
            assertThat(out)
                    .extracting(Alert::state)
                    .containsExactly(AlertState.OPEN, AlertState.RESOLVED);
            assertThat(out).extracting(Alert::evidence).containsOnly(s.evidence());
            assertThat(out)
                    .allSatisfy(
                            a -> {
                                assertThat(a.type()).isEqualTo(s.type());
                                assertThat(a.brand()).isEqualTo(s.brand());
                                assertThat(a.topic()).isEqualTo(s.topic());
                                assertThat(a.severity()).isEqualTo(s.severity());
                                assertThat(a.care()).isNull();
                            });
        }
    }

    /** An alert whose every field differs from the builder's defaults. */
    static Alert fullAlert() {
        return new Alert(
                "id-1",
                4,
                AlertType.UNANSWERED,
                AlertState.UPDATED,
                Severity.CRITICAL,
                "acme",
                "shoes",
                T0,
                T0.plusSeconds(60),
                T0.plusSeconds(120),
                T0,
                T0.plusSeconds(300),
                123,
                17.5,
                0.97,
                full().topMentions(),
                full().platforms(),
                42L,
                0.31,
                new CareContext(
                        "conv-1",
                        "high",
                        60_000,
                        T0.plusSeconds(60),
                        "question",
                        new CustomerRecord("c-1", "retail", "gold", 2),
                        T0.plusSeconds(90),
                        30_000),
                full().drivers());
    }

    @Test
    void anAlertBuilderCarriesEveryField() {
        Alert a = fullAlert();
        assertThat(a.toBuilder().build()).isEqualTo(a);
        assertThat(
                        Alert.builder()
                                .id(a.id())
                                .version(a.version())
                                .type(a.type())
                                .state(a.state())
                                .severity(a.severity())
                                .brand(a.brand())
                                .topic(a.topic())
                                .openedAt(a.openedAt())
                                .updatedAt(a.updatedAt())
                                .resolvedAt(a.resolvedAt())
                                .care(a.care())
                                .evidence(full())
                                .build())
                .isEqualTo(a);
        assertThat(a.evidence()).isEqualTo(full());
    }

    @Test
    void anAlertBuilderStartsAsTheFirstOpenStateWithoutEvidence() {
        Alert a = Alert.builder().build();
        assertThat(a.version()).isEqualTo(1);
        assertThat(a.state()).isEqualTo(AlertState.OPEN);
        assertThat(a.topMentions()).isEmpty();
        assertThat(a.platforms()).isEmpty();
        assertThat(a.velocity()).isNull();
        assertThat(a.reshareShare()).isNull();
        assertThat(a.care()).isNull();
        assertThat(a.drivers()).isNull();
        assertThat(a.resolvedAt()).isNull();
    }
}
