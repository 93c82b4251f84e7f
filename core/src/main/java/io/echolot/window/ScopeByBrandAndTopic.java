package io.echolot.window;

import io.echolot.model.Mention;
import io.echolot.model.WindowAggregate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Fans a mention out to every (brand, topic) it belongs to, plus (brand, {@value
 * WindowAggregate#ALL_TOPICS}) for each brand. A mention without a brand cannot be attributed; it
 * is counted in {@code mentionsWithoutBrand} and kept out of the aggregates (it is still indexed).
 * Posts of a brand's own accounts (brand replies) are not customer voice: counted in {@code
 * brandPosts} and kept out of the aggregates, so of customer volume, sentiment and the detectors.
 */
public class ScopeByBrandAndTopic extends RichFlatMapFunction<Mention, ScopedMention> {

    private static final long serialVersionUID = 1L;

    private transient Counter withoutBrand;
    private transient Counter brandPosts;

    @Override
    public void open(OpenContext openContext) {
        withoutBrand = getRuntimeContext().getMetricGroup().counter("mentionsWithoutBrand");
        brandPosts = getRuntimeContext().getMetricGroup().counter("brandPosts");
    }

    @Override
    public void flatMap(Mention m, Collector<ScopedMention> out) {
        if (m.isBrandPost()) {
            brandPosts.inc();
            return;
        }
        if (m.brands().isEmpty()) {
            withoutBrand.inc();
            return;
        }
        for (String brand : m.brands()) {
            out.collect(new ScopedMention(brand, WindowAggregate.ALL_TOPICS, m));
            for (String topic : m.topics()) {
                out.collect(new ScopedMention(brand, topic, m));
            }
        }
    }
}
