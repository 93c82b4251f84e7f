package io.echolot.window;

import io.echolot.model.Mention;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

/** Event time of a mention: its {@code created_at}. */
public final class MentionTimestamps implements SerializableTimestampAssigner<Mention> {

    private static final long serialVersionUID = 1L;

    @Override
    public long extractTimestamp(Mention mention, long recordTimestamp) {
        return mention.eventTimeMillis();
    }
}
