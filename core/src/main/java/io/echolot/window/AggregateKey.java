package io.echolot.window;

import io.echolot.model.WindowAggregate;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys window aggregates by (brand, topic), the same key as the windows themselves. */
public final class AggregateKey implements KeySelector<WindowAggregate, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(WindowAggregate a) {
        return a.brand() + ScopedMention.KEY_SEPARATOR + a.topic();
    }
}
