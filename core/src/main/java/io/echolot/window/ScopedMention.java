package io.echolot.window;

import io.echolot.model.Mention;

/** A mention in the scope of one (brand, topic) pair, the key of the window aggregates. */
public record ScopedMention(String brand, String topic, Mention mention) {

    /** Separates brand and topic in the key; it cannot occur in either (control character). */
    static final char KEY_SEPARATOR = '\u001f';

    public String key() {
        return brand + KEY_SEPARATOR + topic;
    }
}
