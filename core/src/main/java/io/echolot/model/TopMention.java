package io.echolot.model;

import java.time.Instant;

/** A short reference to one of the most engaging mentions of a window, kept as evidence. */
public record TopMention(
        String id,
        String url,
        Platform platform,
        String authorHandle,
        String text,
        long engagement,
        Instant createdAt) {

    /** Texts in aggregates and alerts are cut to this many characters. */
    public static final int MAX_TEXT = 280;

    public static TopMention of(Mention m) {
        String text = m.text();
        if (text.length() > MAX_TEXT) {
            int end = MAX_TEXT;
            // never cut a surrogate pair in half
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            text = text.substring(0, end) + "…";
        }
        return new TopMention(
                m.id(),
                m.url(),
                m.platform(),
                m.author().handle(),
                text,
                m.engagement().total(),
                m.createdAt());
    }
}
