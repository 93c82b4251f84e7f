package io.echolot.sink.webhook;

import io.echolot.alert.Alert;
import io.echolot.alert.AlertDrivers;
import io.echolot.alert.AlertState;
import io.echolot.alert.AlertType;
import io.echolot.alert.Driver;
import io.echolot.alert.Severity;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The human-readable words of chat messages, in German or English. German when the alert's posts
 * are German, English otherwise (the language the communications teams read).
 */
final class AlertTexts {

    private final boolean german;

    private AlertTexts(boolean german) {
        this.german = german;
    }

    /** Texts for {@code lang} ("de" → German; anything else, including null → English). */
    static AlertTexts of(String lang) {
        return new AlertTexts("de".equals(lang));
    }

    String language() {
        return german ? "de" : "en";
    }

    String type(AlertType type) {
        return switch (type) {
            case VIRAL_SPIKE -> german ? "Viraler Anstieg" : "Viral spike";
            case NEGATIVE_BURST ->
                    german ? "Häufung negativer Erwähnungen" : "Burst of negative mentions";
            case ADVERSE_EVENT ->
                    german
                            ? "Mögliche Meldung einer Nebenwirkung"
                            : "Possible adverse event report";
            case UNANSWERED ->
                    german ? "Unbeantwortete Kundenerwähnung" : "Unanswered customer mention";
            case EMERGING_TOPIC -> german ? "Neues Thema" : "Emerging topic";
        };
    }

    String state(AlertState state) {
        return switch (state) {
            case OPEN -> german ? "neu" : "opened";
            case UPDATED -> german ? "aktualisiert" : "updated";
            case RESOLVED -> german ? "beendet" : "resolved";
        };
    }

    String severity(Severity severity) {
        if (!german) {
            return severity.wireName();
        }
        return switch (severity) {
            case INFO -> "Info";
            case LOW -> "niedrig";
            case MEDIUM -> "mittel";
            case HIGH -> "hoch";
            case CRITICAL -> "kritisch";
        };
    }

    String topic(String topic) {
        return topic(topic, UnaryOperator.identity());
    }

    /** The topic, or our words for "all"; {@code escape} applies to the topic only (input). */
    String topic(String topic, UnaryOperator<String> escape) {
        return "all".equals(topic) ? (german ? "alle Themen" : "all topics") : escape.apply(topic);
    }

    String brandLabel() {
        return german ? "Marke" : "Brand";
    }

    String topicLabel() {
        return german ? "Thema" : "Topic";
    }

    String severityLabel() {
        return german ? "Schweregrad" : "Severity";
    }

    String stateLabel() {
        return german ? "Status" : "State";
    }

    String observedVsExpectedLabel() {
        return german ? "Beobachtet / erwartet" : "Observed / expected";
    }

    String windowLabel() {
        return german ? "Zeitfenster" : "Window";
    }

    String topPostsLabel() {
        return german ? "Top-Beiträge" : "Top posts";
    }

    String driversLabel() {
        return german ? "Treiber (beobachtet / erwartet)" : "Drivers (observed / expected)";
    }

    String kind(String kind) {
        if (!german) {
            return kind;
        }
        return switch (kind) {
            case "term" -> "Begriff";
            case "phrase" -> "Wortpaar";
            case "author" -> "Autor";
            case "domain" -> "Domain";
            case "platform" -> "Plattform";
            case "language" -> "Sprache";
            default -> kind;
        };
    }

    /** "2,0 / 0,1 · LLR 12" for one driver. */
    String driverFigures(Driver d) {
        return german
                ? String.format(
                        Locale.GERMANY,
                        "%,d / %,.1f · LLR %,.0f",
                        d.observed(),
                        d.expected(),
                        d.score())
                : String.format(
                        Locale.ROOT, "%d / %.1f · LLR %.0f", d.observed(), d.expected(), d.score());
    }

    /** "first-time authors 40% · coordinated 12%". */
    String shares(AlertDrivers d) {
        if (Double.isNaN(d.firstTimeAuthorShare()) || Double.isNaN(d.coordinatedShare())) {
            // an emerging topic: its drivers are the terms, rising against their own baseline
            return german
                    ? "Begriffe ohne Regel, steigend gegen ihre eigene Basis"
                    : "terms no rule watches, rising against their own baseline";
        }
        return String.format(
                german ? Locale.GERMANY : Locale.ROOT,
                german
                        ? "Erstautoren %.0f %% · koordiniert %.0f %%"
                        : "first-time authors %.0f%% · coordinated %.0f%%",
                d.firstTimeAuthorShare() * 100,
                d.coordinatedShare() * 100);
    }

    String openPost() {
        return german ? "Beitrag öffnen" : "Open post";
    }

    /** "Häufung negativer Erwähnungen: strider (neu)". */
    String headline(Alert a) {
        return headline(a, UnaryOperator.identity());
    }

    /** {@link #headline(Alert)} with {@code escape} applied to brand and topic (input). */
    String headline(Alert a, UnaryOperator<String> escape) {
        String brand = escape.apply(a.brand());
        String scope = "all".equals(a.topic()) ? brand : brand + " / " + escape.apply(a.topic());
        return type(a.type()) + ": " + scope + " (" + state(a.state()) + ")";
    }

    String observedVsExpected(Alert a) {
        return german
                ? String.format(Locale.GERMANY, "%,.0f / %,.1f", a.observed(), a.expected())
                : String.format(Locale.ROOT, "%.0f / %.1f", a.observed(), a.expected());
    }
}
