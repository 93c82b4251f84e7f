package io.echolot.enrich;

import io.echolot.model.Mention;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys mentions by id, for per-mention deduplication. */
public final class MentionIdKey implements KeySelector<Mention, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(Mention m) {
        return m.id();
    }
}
