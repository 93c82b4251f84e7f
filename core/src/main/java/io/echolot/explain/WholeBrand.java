package io.echolot.explain;

import io.echolot.model.WindowAggregate;
import io.echolot.window.ScopedMention;
import org.apache.flink.api.common.functions.FilterFunction;

/** Keeps a brand's scope over all its topics: emerging topics are looked for per brand. */
public final class WholeBrand implements FilterFunction<ScopedMention> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(ScopedMention s) {
        return WindowAggregate.ALL_TOPICS.equals(s.topic());
    }
}
