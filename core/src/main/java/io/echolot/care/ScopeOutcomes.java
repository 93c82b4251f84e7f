package io.echolot.care;

import io.echolot.model.WindowAggregate;
import java.time.Duration;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Fans an outcome out to each topic of its item and to {@value WindowAggregate#ALL_TOPICS}, in the
 * tumbling window of the item's event time: figures describe the items raised in a window, however
 * late they were answered.
 */
public class ScopeOutcomes implements FlatMapFunction<CareOutcome, ScopedOutcome> {

    private static final long serialVersionUID = 1L;

    private final long windowMillis;

    public ScopeOutcomes(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the care window must be positive, got " + window);
        }
        this.windowMillis = window.toMillis();
    }

    @Override
    public void flatMap(CareOutcome o, Collector<ScopedOutcome> out) {
        CareEvent item = o.item();
        long start = item.at() - Math.floorMod(item.at(), windowMillis);
        String id = item.mentionId();
        out.collect(scoped(o, WindowAggregate.ALL_TOPICS, start, id));
        for (String topic : item.topics()) {
            out.collect(scoped(o, topic, start, id));
        }
    }

    private ScopedOutcome scoped(CareOutcome o, String topic, long start, String id) {
        CareEvent item = o.item();
        return new ScopedOutcome(
                item.brand(),
                topic,
                item.platform(),
                start,
                start + windowMillis,
                o.kind(),
                id,
                o.responseMillis(),
                switch (o.kind()) {
                    case OPENED -> item.at();
                    case OVERDUE -> item.dueAt();
                    case ANSWERED, ANSWERED_LATE -> o.replyAt();
                });
    }
}
