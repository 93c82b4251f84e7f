package io.echolot.deadletter;

/**
 * A record that could not be processed: the original record, the stage that refused it and why.
 * Written to the dead-letter topic with the original key and value bytes untouched.
 */
public record DeadLetter(RawRecord source, String stage, String reason) {

    /** Stage name of records refused by the parser / validator. */
    public static final String STAGE_PARSE = "parse";

    /** Stage name of mentions refused after enrichment (e.g. too many brands from the rules). */
    public static final String STAGE_ENRICH = "enrich";
}
