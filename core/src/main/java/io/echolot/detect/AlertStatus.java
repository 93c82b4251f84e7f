package io.echolot.detect;

import io.echolot.alert.AlertState;

/**
 * The lifecycle status of a {@link SpikeAlert}, the spike detector's own state. It mirrors {@link
 * AlertState} and stays a type of its own because {@code SpikeAlert} is kept in Flink state with
 * this enum as a field type, so savepoints of earlier versions restore. They cannot drift apart
 * unnoticed: a constant added here breaks the compilation of {@link #toAlertState()}, and one added
 * to {@code AlertState} alone fails {@code AlertStatusTest}. Only {@link #OPEN} is emitted so far.
 */
public enum AlertStatus {
    OPEN,
    UPDATED,
    RESOLVED;

    /** The alert lifecycle's name for this status. */
    public AlertState toAlertState() {
        return switch (this) {
            case OPEN -> AlertState.OPEN;
            case UPDATED -> AlertState.UPDATED;
            case RESOLVED -> AlertState.RESOLVED;
        };
    }
}
