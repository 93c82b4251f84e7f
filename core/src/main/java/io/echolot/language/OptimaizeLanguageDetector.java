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
import java.util.regex.Pattern;

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

    private static final Pattern URL =
            Pattern.compile("(?i)\\b(?:https?://|www\\.)\\S+|\\b\\S+@\\S+\\.\\w+");
    private static final Pattern HANDLE = Pattern.compile("(?<![\\w@])@\\w+");

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
        String clean =
                HANDLE.matcher(URL.matcher(text).replaceAll(" ")).replaceAll(" ").replace('#', ' ');
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
