package io.echolot.language;

import com.optimaize.langdetect.DetectedLanguage;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfile;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObjectFactory;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Language detection on the n-gram profiles of {@code com.optimaize.languagedetector} (Apache
 * License 2.0; 1.9 MB jar with 71 profiles, a few MB of heap for a dozen languages).
 *
 * <p>Only the configured languages are candidates (default {@link #DEFAULT_LANGUAGES}); restricting
 * them makes short German texts less often mistaken for Dutch, Norwegian or Afrikaans. Before
 * detection, URLs and @handles are removed and '#' is dropped from hashtags (the tag's words stay).
 * Texts with fewer than {@link #MIN_LETTERS} letters left, and texts whose best language has a
 * probability under the threshold (default {@value #DEFAULT_MIN_PROBABILITY}), are {@link
 * #UNDETERMINED}.
 *
 * <p>{@link Serializable}: only the configuration travels; the profiles are loaded on the first
 * {@link #detect} (or eagerly by {@link #warmUp()}, e.g. in a Flink function's {@code open()}).
 * Thread-safe.
 */
public final class OptimaizeLanguageDetector implements LanguageDetector, Serializable {

    private static final long serialVersionUID = 1L;

    /** German, English and the languages most often met next to them in German social media. */
    public static final Set<String> DEFAULT_LANGUAGES =
            Set.of("de", "en", "fr", "es", "it", "nl", "pl", "tr", "pt", "ru", "uk", "ar");

    public static final double DEFAULT_MIN_PROBABILITY = 0.5;

    /** Fewer letters than this (after removing URLs and handles) give {@link #UNDETERMINED}. */
    public static final int MIN_LETTERS = 3;

    /**
     * The characters of a text that detection looks at: enough to tell a language, and a bound on
     * what one long post costs.
     */
    static final int MAX_CHARS = 2_000;

    private final Set<String> languages;
    private final double minProbability;
    private transient volatile Detector detector;

    private OptimaizeLanguageDetector(Set<String> languages, double minProbability) {
        this.languages = new TreeSet<>(languages);
        this.minProbability = minProbability;
    }

    /** The default languages and threshold. */
    public static OptimaizeLanguageDetector create() {
        return create(DEFAULT_LANGUAGES, DEFAULT_MIN_PROBABILITY);
    }

    /**
     * Detects only {@code languages} (ISO 639-1 codes that the library has a profile for), and only
     * when the best one's probability is at least {@code minProbability} (0..1).
     */
    public static OptimaizeLanguageDetector create(Set<String> languages, double minProbability) {
        if (languages.isEmpty()) {
            throw new IllegalArgumentException("no languages to detect");
        }
        if (!(minProbability >= 0 && minProbability <= 1)) {
            throw new IllegalArgumentException("minProbability must be in 0..1: " + minProbability);
        }
        OptimaizeLanguageDetector d = new OptimaizeLanguageDetector(languages, minProbability);
        d.detector(); // fail fast on unknown languages
        return d;
    }

    /** Loads the profiles now rather than on the first text. */
    public OptimaizeLanguageDetector warmUp() {
        detector();
        return this;
    }

    public Set<String> languages() {
        return languages;
    }

    @Override
    public String detect(String text) {
        if (text == null || text.isBlank()) {
            return UNDETERMINED;
        }
        String clean = clean(text);
        int letters = 0;
        for (int i = 0; i < clean.length() && letters < MIN_LETTERS; i++) {
            if (Character.isLetter(clean.charAt(i))) {
                letters++;
            }
        }
        if (letters < MIN_LETTERS) {
            return UNDETERMINED;
        }
        Detector d = detector();
        List<DetectedLanguage> probabilities = d.detector.getProbabilities(d.texts.forText(clean));
        if (probabilities.isEmpty()) {
            return UNDETERMINED;
        }
        DetectedLanguage best = probabilities.get(0);
        return best.getProbability() >= minProbability
                ? best.getLocale().getLanguage()
                : UNDETERMINED;
    }

    /**
     * The start of the text without URLs, e-mail addresses and @handles, '#' as a space: in one
     * pass over at most {@link #MAX_CHARS} characters. (Regular expressions for this backtracked
     * catastrophically on long runs without white space: one post of 3 KB took 18 s.)
     */
    static String clean(String text) {
        int n = Math.min(text.length(), MAX_CHARS);
        if (n < text.length() && Character.isHighSurrogate(text.charAt(n - 1))) {
            n--;
        }
        StringBuilder out = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            if (Character.isWhitespace(text.charAt(i))) {
                out.append(text.charAt(i++));
                continue;
            }
            int end = i;
            while (end < n && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            token(text, i, end, out);
            i = end;
        }
        return out.toString();
    }

    /** One run without white space: an e-mail address goes whole, a URL from where it starts. */
    private static void token(String text, int from, int to, StringBuilder out) {
        if (isEmail(text, from, to)) {
            out.append(' ');
            return;
        }
        int url = to;
        for (int j = from; j < to; j++) {
            if ((j == from || !isWordChar(text.charAt(j - 1))) && startsUrl(text, j, to)) {
                url = j;
                break;
            }
        }
        int j = from;
        while (j < url) {
            char c = text.charAt(j);
            if (c == '@'
                    && (j == from || !isWordChar(text.charAt(j - 1)) && text.charAt(j - 1) != '@')
                    && j + 1 < url
                    && isWordChar(text.charAt(j + 1))) {
                j++;
                while (j < url && isWordChar(text.charAt(j))) {
                    j++;
                }
                out.append(' ');
                continue;
            }
            out.append(c == '#' ? ' ' : c);
            j++;
        }
        if (url < to) {
            out.append(' ');
        }
    }

    /** Something before an '@', and after it a '.' followed by a word character. */
    private static boolean isEmail(String text, int from, int to) {
        int at = from + 1;
        while (at < to && text.charAt(at) != '@') {
            at++;
        }
        if (at >= to - 2) {
            return false;
        }
        for (int j = at + 2; j < to - 1; j++) {
            if (text.charAt(j) == '.' && isWordChar(text.charAt(j + 1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsUrl(String text, int at, int to) {
        return startsWith(text, at, to, "http://")
                || startsWith(text, at, to, "https://")
                || startsWith(text, at, to, "www.");
    }

    private static boolean startsWith(String text, int at, int to, String prefix) {
        return at + prefix.length() <= to
                && text.regionMatches(true, at, prefix, 0, prefix.length());
    }

    /** A character of {@code \\w}: ASCII letters, digits and '_'. */
    private static boolean isWordChar(char c) {
        return c < 0x80 && (Character.isLetterOrDigit(c) || c == '_');
    }

    private Detector detector() {
        Detector d = detector;
        if (d == null) {
            synchronized (this) {
                d = detector;
                if (d == null) {
                    d = new Detector(languages);
                    detector = d;
                }
            }
        }
        return d;
    }

    /** The library's detector and text factory, built from the profiles of the chosen languages. */
    private static final class Detector {
        final com.optimaize.langdetect.LanguageDetector detector;
        final TextObjectFactory texts = CommonTextObjectFactories.forDetectingShortCleanText();

        Detector(Set<String> languages) {
            List<LanguageProfile> profiles = new ArrayList<>();
            LanguageProfileReader reader = new LanguageProfileReader();
            for (String lang : languages) {
                try {
                    profiles.add(
                            reader.readBuiltIn(
                                    com.optimaize.langdetect.i18n.LdLocale.fromString(lang)));
                } catch (IOException | RuntimeException e) {
                    throw new IllegalArgumentException(
                            "no language profile for '"
                                    + lang
                                    + "' (give ISO 639-1 codes, e.g. de, en)",
                            e);
                }
            }
            detector =
                    LanguageDetectorBuilder.create(NgramExtractors.standard())
                            .withProfiles(profiles)
                            .build();
        }
    }
}
