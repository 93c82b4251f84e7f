package io.echolot.explain;

import io.echolot.alert.AlertSignal;
import io.echolot.window.ScopedMention;
import org.apache.flink.api.java.functions.KeySelector;

/** Keys alert signals by (brand, topic) the way {@link ScopedMention#key()} keys mentions. */
public final class SignalScopeKey implements KeySelector<AlertSignal, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(AlertSignal s) {
        return new ScopedMention(s.brand(), s.topic(), null).key();
    }
}
