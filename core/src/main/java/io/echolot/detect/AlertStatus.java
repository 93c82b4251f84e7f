package io.echolot.detect;

/** Where an alert is in its lifecycle. Only {@link #OPEN} is emitted so far. */
public enum AlertStatus {
    OPEN,
    UPDATED,
    RESOLVED
}
