package io.echolot.ingest;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/** Event time of a parsed record: the mention's {@code created_at}. */
public final class ParsedRecordTimestamps implements SerializableTimestampAssigner<ParsedRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public long extractTimestamp(ParsedRecord record, long kafkaTimestamp) {
        return record.eventTimeMillis();
    }
}
