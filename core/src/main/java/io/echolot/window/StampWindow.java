package io.echolot.window;

import io.echolot.model.EngagementTotals;
import io.echolot.model.SentimentStats;
import io.echolot.model.WindowAggregate;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a window's statistics into a {@link WindowAggregate} stamped with key and window bounds.
 */
public class StampWindow
        extends ProcessWindowFunction<MentionStats, WindowAggregate, String, TimeWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void process(
            String key,
            Context context,
            Iterable<MentionStats> elements,
            Collector<WindowAggregate> out) {
        MentionStats s = elements.iterator().next();
        String[] brandTopic = BrandTopicKey.split(key);
        TimeWindow w = context.window();
        out.collect(
                new WindowAggregate(
                        brandTopic[0],
                        brandTopic[1],
                        Instant.ofEpochMilli(w.getStart()),
                        Instant.ofEpochMilli(w.getEnd()),
                        s.mentions,
                        s.reshares,
                        UniqueAuthors.count(s),
                        s.reach,
                        new EngagementTotals(
                                s.likes,
                                s.shares,
                                s.comments,
                                s.views,
                                s.likes + s.shares + s.comments),
                        new SentimentStats(
                                s.scored,
                                s.scored == 0 ? null : s.sentimentSum / s.scored,
                                s.positive,
                                s.neutral,
                                s.negative),
                        new TreeMap<>(s.platforms),
                        new TreeMap<>(s.languages),
                        List.copyOf(s.top)));
    }
}
