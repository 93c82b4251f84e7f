package io.echolot.model;

/** Summed interaction counts of a window; {@code total} = likes + shares + comments. */
public record EngagementTotals(long likes, long shares, long comments, long views, long total) {}
