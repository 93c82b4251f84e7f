package io.echolot.detect;

import java.io.Serializable;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.pattern.Pattern;

/**
 * A CEP confirmation of spike scores: the pattern (with its thresholds, skip strategy and time
 * bound) and how a match becomes an alert. Applied per (brand, topic) in event time.
 */
public interface SpikePattern extends Serializable {

    /** A short stable name, used as the alert's trigger and in the operator uid. */
    String name();

    /** The pattern over one key's scores. */
    Pattern<SpikeScore, ?> pattern();

    /** Turns a match into an alert. */
    default PatternProcessFunction<SpikeScore, SpikeAlert> process() {
        return new AlertFromMatch(name());
    }
}
