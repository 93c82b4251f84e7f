package io.echolot.sink.webhook;

import io.echolot.alert.Alert;
import io.echolot.alert.AlertState;
import io.echolot.alert.AlertType;
import io.echolot.alert.Severity;
import java.util.Locale;

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
        return topic.equals("all") ? (german ? "alle Themen" : "all topics") : topic;
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

    String openPost() {
        return german ? "Beitrag öffnen" : "Open post";
    }

    /** "Häufung negativer Erwähnungen: strider (neu)". */
    String headline(Alert a) {
        String scope = a.topic().equals("all") ? a.brand() : a.brand() + " / " + a.topic();
        return type(a.type()) + ": " + scope + " (" + state(a.state()) + ")";
    }

    String observedVsExpected(Alert a) {
        return german
                ? String.format(Locale.GERMANY, "%,.0f / %,.1f", a.observed(), a.expected())
                : String.format(Locale.ROOT, "%.0f / %.1f", a.observed(), a.expected());
    }
}
