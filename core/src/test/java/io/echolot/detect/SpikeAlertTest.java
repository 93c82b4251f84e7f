package io.echolot.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.alert.AlertSignal;
import io.echolot.alert.Evidence;
import io.echolot.model.Platform;
import io.echolot.model.TopMention;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpikeAlertTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    /** A spike alert whose every field differs from the builder's defaults. */
    private static SpikeAlert full() {
        return new SpikeAlert(
                "id-1",
                "acme",
                "shoes",
                "other_type",
                "extreme-window",
                AlertStatus.UPDATED,
                T0,
                T0.plusSeconds(600),
                T0.plusSeconds(900),
                300,
                20.5,
                12.25,
                1e-9,
                3,
                150,
                0.4,
                Map.of("x", 280L, "reddit", 20L),
                List.of(new TopMention("m-1", "https://x.example/1", Platform.X, "a", "t", 9, T0)));
    }

    @Test
    void theBuilderCarriesEveryField() {
        SpikeAlert s = full();
        assertThat(
                        SpikeAlert.builder()
                                .alertId(s.alertId())
                                .brand(s.brand())
                                .topic(s.topic())
                                .type(s.type())
                                .trigger(s.trigger())
                                .status(s.status())
                                .incidentStart(s.incidentStart())
                                .windowStart(s.windowStart())
                                .windowEnd(s.windowEnd())
                                .observed(s.observed())
                                .expected(s.expected())
                                .surprise(s.surprise())
                                .tailProbability(s.tailProbability())
                                .windows(s.windows())
                                .velocity(s.velocity())
                                .reshareShare(s.reshareShare())
                                .platforms(s.platforms())
                                .topMentions(s.topMentions())
                                .build())
                .isEqualTo(s);
    }

    @Test
    void theBuilderStartsAsAnOpenSpikeWithoutEvidence() {
        SpikeAlert s = SpikeAlert.builder().build();
        assertThat(s.type()).isEqualTo(SpikeAlert.SPIKE);
        assertThat(s.status()).isEqualTo(AlertStatus.OPEN);
        assertThat(s.platforms()).isEmpty();
        assertThat(s.topMentions()).isEmpty();
    }

    @Test
    void theEvidenceCoversTheWholeIncidentAndReachesTheSignalUnchanged() {
        SpikeAlert s = full();
        Evidence e = s.evidence();
        assertThat(e)
                .isEqualTo(
                        new Evidence(
                                T0,
                                T0.plusSeconds(900),
                                300,
                                20.5,
                                12.25,
                                s.topMentions(),
                                s.platforms(),
                                150L,
                                0.4,
                                null));

        AlertSignal signal = new SpikeSignals(false).map(s);
        assertThat(signal.evidence()).isEqualTo(e);
        assertThat(signal.opens()).isFalse();
        assertThat(signal.brand()).isEqualTo("acme");
        assertThat(signal.topic()).isEqualTo("shoes");
    }
}
