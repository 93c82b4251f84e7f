package io.echolot.ingest;

import io.echolot.deadletter.DeadLetter;
import io.echolot.deadletter.RawRecord;
import io.echolot.model.Mention;

/**
 * The outcome of reading one Kafka record: a mention, or a dead letter saying why not. Exactly one
 * of the two is set. Parsing happens in the source so that watermarks are generated per Kafka
 * partition from the event time inside the payload.
 */
public record ParsedRecord(Mention mention, DeadLetter deadLetter) {

    /** Parses a raw record with {@code parser}; never throws for bad input. */
    public static ParsedRecord of(RawRecord raw, MentionParser parser) {
        MentionParser.Result result = parser.parse(raw.value());
        return result.ok()
                ? new ParsedRecord(result.mention(), null)
                : new ParsedRecord(
                        null, new DeadLetter(raw, DeadLetter.STAGE_PARSE, result.error()));
    }

    /**
     * Event time of a mention; dead letters get the smallest time so they never move watermarks.
     */
    public long eventTimeMillis() {
        return mention != null ? mention.eventTimeMillis() : Long.MIN_VALUE;
    }
}
