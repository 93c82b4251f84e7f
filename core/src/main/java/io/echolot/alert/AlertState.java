package io.echolot.alert;

import java.util.Locale;

/** The lifecycle of an alert: opened once, updated on escalation or new evidence, resolved once. */
public enum AlertState {
    OPEN,
    UPDATED,
    RESOLVED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
