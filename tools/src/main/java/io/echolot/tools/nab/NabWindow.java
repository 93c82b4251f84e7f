package io.echolot.tools.nab;

/** A labelled anomaly window [start, end], both inclusive, epoch millis. */
public record NabWindow(long start, long end) {}
