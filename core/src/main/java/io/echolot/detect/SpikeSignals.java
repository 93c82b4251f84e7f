package io.echolot.detect;

import io.echolot.alert.AlertSignal;
import io.echolot.alert.AlertType;
import io.echolot.alert.Severity;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * Hands a confirmed spike to the alert lifecycle, which gives it versions, severity escalation and
 * resolution like every other alert type. The incident start becomes the window the alert id is
 * made from, so one incident keeps one id. The evidence (top mentions, platforms, velocity, reshare
 * share) is the matched windows'; severity follows observed / expected.
 */
public final class SpikeSignals implements MapFunction<SpikeAlert, AlertSignal> {

    private static final long serialVersionUID = 1L;

    private final boolean opens;

    /** Signals of matches that open an incident. */
    public SpikeSignals() {
        this(true);
    }

    /**
     * @param opens false for the continuations of an incident ({@link
     *     IncidentCooldown#CONTINUATIONS}), which only update its alert
     */
    public SpikeSignals(boolean opens) {
        this.opens = opens;
    }

    @Override
    public AlertSignal map(SpikeAlert s) {
        return AlertSignal.builder()
                .type(AlertType.VIRAL_SPIKE)
                .brand(s.brand())
                .topic(s.topic())
                .severity(Severity.of(s.observed(), s.expected()))
                .evidence(s.evidence())
                .opens(opens)
                .build();
    }
}
