package io.echolot.jobs;

import io.echolot.rules.BrandRules;
import java.io.Serializable;
import java.time.Duration;

/**
 * The knobs of the mention analytics workflow that do not concern its sources and sinks. {@code
 * rules} may be null: then brands and topics come from the events only.
 */
public record PipelineSettings(
        Duration windowSize,
        Duration allowedLateness,
        Duration outOfOrderness,
        Duration idleness,
        Duration maxEventFuture,
        int maxEventBytes,
        int topMentions,
        Duration dedupWindow,
        DetectionSettings detection,
        BrandRules rules)
        implements Serializable {}
