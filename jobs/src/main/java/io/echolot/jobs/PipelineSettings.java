package io.echolot.jobs;

import java.io.Serializable;
import java.time.Duration;

/** The knobs of the mention analytics workflow that do not concern its sources and sinks. */
public record PipelineSettings(
        Duration windowSize,
        Duration allowedLateness,
        Duration outOfOrderness,
        Duration idleness,
        Duration maxEventFuture,
        int maxEventBytes,
        int topMentions,
        DetectionSettings detection)
        implements Serializable {}
