package io.echolot.window;

import org.apache.flink.api.java.functions.KeySelector;

/** Keys scoped mentions by (brand, topic). */
public final class BrandTopicKey implements KeySelector<ScopedMention, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(ScopedMention value) {
        return value.key();
    }

    /** The brand and topic of a key made by {@link ScopedMention#key()}. */
    public static String[] split(String key) {
        int i = key.indexOf(ScopedMention.KEY_SEPARATOR);
        return new String[] {key.substring(0, i), key.substring(i + 1)};
    }
}
