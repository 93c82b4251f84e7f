package io.echolot.language;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reduces language tags to a bounded set: the ISO 639 languages the JDK knows ({@link
 * Locale#getISOLanguages()}) plus {@link LanguageDetector#UNDETERMINED}. Every distinct tag becomes
 * a field {@code languages.<tag>} of the aggregates index, so a tag straight from the input
 * ("de-AT", "de_DE", "xx-garbage") would add fields until the index's field limit refuses
 * aggregates.
 *
 * <p>The primary subtag is lower-cased and kept, regional and other subtags are dropped ({@code
 * de-AT} → {@code de}); a three-letter code with a two-letter equivalent becomes that ({@code deu}
 * → {@code de}, the shortest form as BCP 47 asks); anything else is {@code und}.
 */
public final class LanguageTags {

    private static final Set<String> ISO_639_1 = Set.of(Locale.getISOLanguages());

    /** ISO 639-2 code → its ISO 639-1 equivalent, for the languages that have one. */
    private static final Map<String, String> ISO_639_2 = iso3ToIso1();

    private LanguageTags() {}

    /**
     * The normalised tag of {@code tag}: an ISO 639-1 code or {@code und}; null when {@code tag} is
     * null or blank (no language given, so a detector may still decide).
     */
    public static String normalise(String tag) {
        if (tag == null) {
            return null;
        }
        if (ISO_639_1.contains(tag)) {
            return tag;
        }
        String t = tag.strip();
        if (t.isEmpty()) {
            return null;
        }
        int end = 0;
        while (end < t.length() && t.charAt(end) != '-' && t.charAt(end) != '_') {
            end++;
        }
        String primary = t.substring(0, end).toLowerCase(Locale.ROOT);
        if (ISO_639_1.contains(primary) || primary.equals(LanguageDetector.UNDETERMINED)) {
            return primary;
        }
        return ISO_639_2.getOrDefault(primary, LanguageDetector.UNDETERMINED);
    }

    /** Whether {@code tag} is already one of the normalised tags. */
    public static boolean isNormalised(String tag) {
        return tag != null
                && (ISO_639_1.contains(tag) || tag.equals(LanguageDetector.UNDETERMINED));
    }

    private static Map<String, String> iso3ToIso1() {
        Map<String, String> m = new HashMap<>();
        for (String two : ISO_639_1) {
            try {
                String three = Locale.forLanguageTag(two).getISO3Language();
                if (!three.isEmpty() && !ISO_639_1.contains(three)) {
                    m.put(three, two);
                }
            } catch (java.util.MissingResourceException e) {
                // a language without a three-letter code keeps only its two-letter one
            }
        }
        return Map.copyOf(m);
    }
}
