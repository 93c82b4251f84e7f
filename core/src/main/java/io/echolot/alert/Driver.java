package io.echolot.alert;

import java.util.Locale;

/**
 * One feature that makes up an alert's excess: seen {@code observed} times in the alert's windows
 * where the key's baseline expects {@code expected}; {@code score} is the log-likelihood ratio.
 *
 * @param kind term, phrase, author, domain, platform or language
 * @param value the term, phrase, author handle, domain, platform or language tag (from the post:
 *     may be anything, escaped where it leaves)
 */
public record Driver(String kind, String value, long observed, double expected, double score) {

    /** e.g. {@code phrase "sohle loest" 120 vs 1.5}. */
    public String describe() {
        return String.format(
                Locale.ROOT, "%s \"%s\" %d vs %.1f expected", kind, value, observed, expected);
    }
}
