package io.echolot.care;

/**
 * What the company's CRM knows about an author: the value of the compacted customers topic, keyed
 * by {@link AuthorKey}. {@code tier} is lower-case; {@code segment} and {@code tier} may be null.
 */
public record CustomerRecord(String customerId, String segment, String tier, int openCases) {}
