package io.echolot.detect;

import io.echolot.model.WindowAggregate;
import org.apache.flink.api.java.functions.KeySelector;

/** Key selectors of the detection operators: (brand, topic), as the window operator keys. */
public final class SpikeKeys {

    static final char SEPARATOR = '\u001f';

    private SpikeKeys() {}

    /** The key of a brand and topic. */
    public static String key(String brand, String topic) {
        return brand + SEPARATOR + topic;
    }

    /** Keys window aggregates. */
    public static final class OfAggregate implements KeySelector<WindowAggregate, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(WindowAggregate value) {
            return key(value.brand(), value.topic());
        }
    }

    /** Keys scores. */
    public static final class OfScore implements KeySelector<SpikeScore, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(SpikeScore value) {
            return value.key();
        }
    }

    /** Keys alerts. */
    public static final class OfAlert implements KeySelector<SpikeAlert, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(SpikeAlert value) {
            return key(value.brand(), value.topic());
        }
    }
}
