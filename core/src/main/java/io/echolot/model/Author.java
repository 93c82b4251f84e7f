package io.echolot.model;

/** The account that posted a mention. {@code followers} is 0 when the source does not know it. */
public record Author(String id, String handle, long followers) {}
