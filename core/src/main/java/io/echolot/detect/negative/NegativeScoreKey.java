package io.echolot.detect.negative;

import org.apache.flink.api.java.functions.KeySelector;

/** Keys negative scores by (brand, topic) for the burst pattern. */
public final class NegativeScoreKey implements KeySelector<NegativeScore, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(NegativeScore s) {
        return s.brand() + '|' + s.topic();
    }
}
