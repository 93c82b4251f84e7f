package io.echolot.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.alert.Alert;
import io.echolot.alert.AlertJson;
import io.echolot.alert.AlertSignal;
import io.echolot.alert.AlertState;
import io.echolot.alert.AlertType;
import io.echolot.alert.Severity;
import io.echolot.model.Platform;
import io.echolot.model.TopMention;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/** The evidence a spike alert carries, from the matched windows to the alert document. */
class SpikeEvidenceTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    private static TopMention top(String id, long engagement) {
        return new TopMention(
                id, "https://x.example/" + id, Platform.X, "h" + id, "text " + id, engagement, T0);
    }

    private static SpikeScore score(
            int minute,
            long observed,
            long velocity,
            long reshares,
            Map<String, Long> platforms,
            List<TopMention> top) {
        Instant start = T0.plusSeconds(60L * minute);
        return new SpikeScore(
                "acme",
                "all",
                start,
                start.plusSeconds(60),
                observed,
                20.0,
                0.0,
                1e-12,
                1e-12,
                SpikeScore.surpriseOf(1e-12),
                velocity,
                true,
                reshares,
                platforms,
                top);
    }

    private static SpikeAlert match(List<SpikeScore> scores) {
        List<SpikeAlert> out = new ArrayList<>();
        new AlertFromMatch(RisingWindowsPattern.NAME)
                .processMatch(
                        Map.of(RisingWindowsPattern.STEP, scores),
                        null,
                        new Collector<>() {
                            @Override
                            public void collect(SpikeAlert record) {
                                out.add(record);
                            }

                            @Override
                            public void close() {}
                        });
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void alertCarriesTheMatchedWindowsTopMentionsPlatformsVelocityAndReshareShare() {
        SpikeAlert alert =
                match(
                        List.of(
                                score(
                                        0,
                                        100,
                                        80,
                                        30,
                                        Map.of("x", 90L, "reddit", 10L),
                                        List.of(top("a", 50), top("b", 10))),
                                score(
                                        1,
                                        300,
                                        200,
                                        150,
                                        Map.of("x", 280L, "bluesky", 20L),
                                        List.of(top("c", 400), top("a", 50), top("d", 5)))));

        assertThat(alert.velocity()).isEqualTo(200);
        assertThat(alert.reshareShare()).isEqualTo(180.0 / 400);
        assertThat(alert.platforms())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("x", 370L, "reddit", 10L, "bluesky", 20L));
        assertThat(alert.topMentions())
                .extracting(TopMention::id)
                .containsExactly("c", "a", "b", "d");
        assertThat(alert.observed()).isEqualTo(300);
        assertThat(alert.windows()).isEqualTo(2);

        AlertSignal signal = new SpikeSignals().map(alert);
        assertThat(signal.type()).isEqualTo(AlertType.VIRAL_SPIKE);
        assertThat(signal.topMentions()).isEqualTo(alert.topMentions());
        assertThat(signal.platforms()).isEqualTo(alert.platforms());
        assertThat(signal.velocity()).isEqualTo(200L);
        assertThat(signal.reshareShare()).isEqualTo(0.45);
        // 300 observed against 20 expected: 15×
        assertThat(signal.severity()).isEqualTo(Severity.of(300, 20));
        assertThat(signal.severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void keepsAtMostFiveTopMentionsBestFirst() {
        List<TopMention> many = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            many.add(top("m" + i, i));
        }
        SpikeAlert alert = match(List.of(score(0, 100, 10, 0, Map.of(), many)));

        assertThat(alert.topMentions())
                .extracting(TopMention::id)
                .containsExactly("m7", "m6", "m5", "m4", "m3");
        assertThat(alert.reshareShare()).isZero();
    }

    @Test
    void alertDocumentHasVelocityAndReshareShareOnlyWhereMeasured() {
        Alert spike = alert(AlertType.VIRAL_SPIKE, 42L, 0.25);
        Alert burst = alert(AlertType.NEGATIVE_BURST, null, null);

        JsonNode spikeEvidence = AlertJson.toJson(spike).get("evidence");
        assertThat(spikeEvidence.get("velocity").asLong()).isEqualTo(42);
        assertThat(spikeEvidence.get("reshare_share").asDouble()).isEqualTo(0.25);
        assertThat(spikeEvidence.get("top_mentions").get(0).get("url").asText())
                .isEqualTo("https://x.example/a");
        JsonNode burstEvidence = AlertJson.toJson(burst).get("evidence");
        assertThat(burstEvidence.has("velocity")).isFalse();
        assertThat(burstEvidence.has("reshare_share")).isFalse();
    }

    private static Alert alert(AlertType type, Long velocity, Double reshareShare) {
        return Alert.builder()
                .id("id")
                .version(1)
                .type(type)
                .state(AlertState.OPEN)
                .severity(Severity.HIGH)
                .brand("acme")
                .topic("all")
                .openedAt(T0)
                .updatedAt(T0)
                .windowStart(T0)
                .windowEnd(T0.plusSeconds(60))
                .observed(100)
                .expected(20)
                .score(0.99)
                .topMentions(List.of(top("a", 5)))
                .platforms(Map.of("x", 100L))
                .velocity(velocity)
                .reshareShare(reshareShare)
                .build();
    }
}
