package io.echolot.jobs;

import io.echolot.detect.SpikeSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.Set;

/**
 * Thresholds of the detectors and the alert lifecycle.
 *
 * @param alertCooldown an alert resolves after this long without a new signal
 * @param negativeMinCount a burst window has at least this many negative mentions
 * @param negativeMinLift ... and a negative share at least this many times the baseline share
 * @param negativeMinZ ... and this many standard deviations above it
 * @param negativeWindows consecutive burst windows needed
 * @param negativeWithin time bound of those windows
 * @param negativeWarmupWindows windows of history a key needs before it can burst
 * @param baselineIdleTimeout baselines of keys without windows for this long are dropped
 * @param adverseEventTopics topics (from the rules) whose terms describe side effects
 * @param spike the viral-spike detection (baseline, CEP confirmations, incident cooldown)
 * @param emergingWindow the time a term no rule watches has to rise in to be an emerging topic
 * @param emergingMinCount original posts with that term an emerging topic needs at least
 */
public record DetectionSettings(
        Duration alertCooldown,
        long negativeMinCount,
        double negativeMinLift,
        double negativeMinZ,
        int negativeWindows,
        Duration negativeWithin,
        int negativeWarmupWindows,
        Duration baselineIdleTimeout,
        Set<String> adverseEventTopics,
        SpikeSettings spike,
        Duration emergingWindow,
        int emergingMinCount)
        implements Serializable {}
