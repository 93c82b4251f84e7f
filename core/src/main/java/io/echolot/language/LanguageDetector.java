package io.echolot.language;

import io.echolot.model.Mention;

/**
 * Tells the language of a text as an ISO 639-1 code ("de", "en", …), or {@link #UNDETERMINED}
 * ("und") when the text is too short or the detector is unsure.
 *
 * <p>A language that came with the event wins: the caller asks the detector only when the event has
 * none, which {@link #languageOf(Mention)} does.
 */
public interface LanguageDetector {

    /** ISO 639-2 "undetermined", returned when the detector cannot tell. */
    String UNDETERMINED = "und";

    /** The language of {@code text}, or {@link #UNDETERMINED}; null and empty text included. */
    String detect(String text);

    /**
     * The mention's own {@code lang} when it has one, else the detected language of its text;
     * either way one of the bounded {@link LanguageTags}, since mentions built outside the parser
     * (tools, tests, replays) may carry any tag.
     */
    default String languageOf(Mention mention) {
        String lang = LanguageTags.normalise(mention.lang());
        if (lang != null) {
            return lang;
        }
        String detected = LanguageTags.normalise(detect(mention.text()));
        return detected != null ? detected : UNDETERMINED;
    }
}
