package io.echolot.sink.webhook;

import io.echolot.alert.Alert;
import io.echolot.alert.AlertDrivers;
import io.echolot.alert.AlertState;
import io.echolot.alert.AlertType;
import io.echolot.alert.Driver;
import io.echolot.alert.ReachPost;
import io.echolot.alert.Severity;
import io.echolot.model.Platform;
import io.echolot.model.TopMention;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Alert states as the alert lifecycle emits them, for the webhook tests. */
final class WebhookTestAlerts {

    static final Instant WINDOW_START = Instant.parse("2026-03-02T09:00:00Z");
    static final Instant WINDOW_END = Instant.parse("2026-03-02T09:15:00Z");

    private WebhookTestAlerts() {}

    /** A burst of German complaints about strider, opened. */
    static Alert germanBurst(String id, int version, AlertState state) {
        return Alert.builder()
                .id(id)
                .version(version)
                .type(AlertType.NEGATIVE_BURST)
                .state(state)
                .severity(Severity.HIGH)
                .brand("strider")
                .topic("all")
                .openedAt(WINDOW_START)
                .updatedAt(WINDOW_END)
                .resolvedAt(state == AlertState.RESOLVED ? WINDOW_END.plusSeconds(1800) : null)
                .windowStart(WINDOW_START)
                .windowEnd(WINDOW_END)
                .observed(42)
                .expected(6.5)
                .score(0.97)
                .topMentions(
                        List.of(
                                new TopMention(
                                        "m-1",
                                        "https://x.example/strider/1",
                                        Platform.X,
                                        "anna",
                                        "Die neuen Strider Laufschuhe sind nach zwei Wochen kaputt, echt"
                                                + " enttäuschend und der Kundendienst antwortet nicht.",
                                        120,
                                        WINDOW_START.plusSeconds(60)),
                                new TopMention(
                                        "m-2",
                                        "https://forum.example/t/2",
                                        Platform.FORUM,
                                        "bernd",
                                        "Ich bin sehr unzufrieden mit der Qualität, die Sohle löst sich"
                                                + " schon <nach> einer Woche & das ist ärgerlich.",
                                        80,
                                        WINDOW_START.plusSeconds(120))))
                .platforms(Map.of("x", 30L, "forum", 12L))
                .build();
    }

    /** The burst explained: drivers whose values came from posts and may be anything. */
    static Alert explainedGermanBurst(String id) {
        Alert a = germanBurst(id, 1, AlertState.OPEN);
        AlertDrivers drivers =
                new AlertDrivers(
                        List.of(
                                new Driver("phrase", "sohle loest", 30, 0.4, 151.2),
                                new Driver(
                                        "author",
                                        "<!channel> *boss* [x](https://evil.example)",
                                        9,
                                        0.1,
                                        40.0),
                                new Driver("domain", "wahrheit-news.example", 12, 0.0, 80.5)),
                        List.of(
                                new ReachPost(
                                        "m-9",
                                        "https://x.example/strider/9",
                                        Platform.X,
                                        "carla",
                                        "Sohle löst sich <b>schon wieder</b>",
                                        120_000)),
                        42,
                        1234.5,
                        0.25,
                        0.125);
        return a.toBuilder().drivers(drivers).build();
    }

    /** An English viral spike for lumen / pricing. */
    static Alert englishSpike(String id, int version) {
        return Alert.builder()
                .id(id)
                .version(version)
                .type(AlertType.VIRAL_SPIKE)
                .state(AlertState.OPEN)
                .severity(Severity.MEDIUM)
                .brand("lumen")
                .topic("pricing")
                .openedAt(WINDOW_START)
                .updatedAt(WINDOW_END)
                .windowStart(WINDOW_START)
                .windowEnd(WINDOW_END)
                .observed(300)
                .expected(80)
                .score(0.9)
                .topMentions(
                        List.of(
                                new TopMention(
                                        "m-9",
                                        "https://reddit.example/r/lumen/9",
                                        Platform.REDDIT,
                                        "carol",
                                        "Lumen just doubled the price of the yearly plan and nobody"
                                                + " told the existing customers about it.",
                                        900,
                                        WINDOW_START.plusSeconds(30))))
                .platforms(Map.of("reddit", 300L))
                .build();
    }
}
