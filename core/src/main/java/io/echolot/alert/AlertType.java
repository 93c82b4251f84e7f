package io.echolot.alert;

import java.util.Locale;

/** What an alert is about. Wire names are the lower-case enum names. */
public enum AlertType {
    VIRAL_SPIKE,
    NEGATIVE_BURST,
    ADVERSE_EVENT,
    UNANSWERED,
    /** A term no rule watches rising far above its own baseline ({@code EmergingTopics}). */
    EMERGING_TOPIC;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
