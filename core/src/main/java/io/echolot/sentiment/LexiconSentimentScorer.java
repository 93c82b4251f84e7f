package io.echolot.sentiment;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A lexicon-and-rules sentiment scorer for German and English social-media text, in the manner of
 * VADER (Hutto and Gilbert, 2014) but with our own lexicons and German rules.
 *
 * <p>The text is tokenized once (words, hashtags split at CamelCase, emoji, emoticons, clause and
 * sentence punctuation; URLs and @-mentions are skipped). Each word is looked up after folding
 * (lower case, ä→ae, ö→oe, ü→ue, ß→ss), then by inflection, stem and, for German, by the tail of a
 * compound ("Zugausfall" → "ausfall"). The valences are then adjusted:
 *
 * <ul>
 *   <li>negation ("nicht", "kein", "nie", "ohne", "not", "n't", "never", …) flips and damps the
 *       sentiment words up to three tokens after it; in German a "nicht" with no sentiment word
 *       after it negates the one before it ("gefällt mir nicht");
 *   <li>intensifiers and dampeners ("sehr", "total", "mega", "kaum", "etwas", "very", "so",
 *       "slightly", …) in the three tokens before a word;
 *   <li>ALL-CAPS words in a text that is not all caps, and elongated words ("suuuper") are
 *       emphasised;
 *   <li>in a sentence with "aber", "jedoch", "but", … the part before counts half, the part after
 *       one and a half;
 *   <li>questions are damped, exclamation marks add emphasis;
 *   <li>positive evidence is discounted by {@link #POSITIVITY_BIAS} before it counts.
 * </ul>
 *
 * The sum is mapped to [-1, 1] by {@code s / sqrt(s² + 15)}. The lexicons are read once per JVM (on
 * first use); the scorer object holds no state, so it is cheap to serialize and thread-safe.
 */
public final class LexiconSentimentScorer implements SentimentScorer {

    private static final long serialVersionUID = 1L;

    static final float NEGATION_SCALAR = -0.74f;
    static final float CAPS_BOOST = 0.733f;
    static final float ELONGATION_BOOST = 0.4f;
    static final float BOOSTER = 0.293f;
    static final float BEFORE_CONTRAST = 0.5f;
    static final float AFTER_CONTRAST = 1.5f;
    static final float QUESTION_DAMPING = 0.6f;
    static final float EXCLAMATION_BOOST = 0.292f;
    static final float NORMALIZATION_ALPHA = 15f;
    static final float ELONGATED_NO = -1.5f;

    /**
     * Positive evidence (in valence units) that a text needs before it counts as positive. Positive
     * words are more frequent than negative ones in every language (the "Pollyanna" effect), so a
     * single mild positive word ("ok", "free", "please") does not make a post positive. Measured on
     * the development sets: without it, neutral posts are over-labelled positive (see the sentiment
     * README).
     */
    static final float POSITIVITY_BIAS = 1.5f;

    private static final int SCOPE = 3;

    /** A shared instance; the scorer has no state. */
    public static final LexiconSentimentScorer INSTANCE = new LexiconSentimentScorer();

    public LexiconSentimentScorer() {}

    @Override
    public Sentiment score(String text, String lang) {
        if (text == null || text.isBlank()) {
            return Sentiment.NEUTRAL;
        }
        List<Token> tokens = Tokenizer.tokenize(text);
        if (tokens.isEmpty()) {
            return Sentiment.NEUTRAL;
        }
        Rules rules = Rules.forLanguage(lang, tokens);
        return Sentiment.of(normalize(sum(tokens, rules)));
    }

    /** The language the scorer would use for a text when no language is given: de, en or null. */
    public static String guessLanguage(String text) {
        if (text == null) {
            return null;
        }
        Rules r = Rules.guess(Tokenizer.tokenize(text));
        return r == Rules.GERMAN ? "de" : r == Rules.ENGLISH ? "en" : null;
    }

    static double normalize(double sum) {
        double s = sum / Math.sqrt(sum * sum + NORMALIZATION_ALPHA);
        return Math.max(-1.0, Math.min(1.0, s));
    }

    private static final byte NONE = 0;
    private static final byte NEGATOR = 1;
    private static final byte BOOSTER_ROLE = 2;
    private static final byte CONTRAST = 3;

    static double sum(List<Token> tokens, Rules rules) {
        int n = tokens.size();
        float[] val = new float[n];
        byte[] role = new byte[n];
        float[] boost = new float[n];
        int words = 0;
        int capsWords = 0;
        int firstWord = 0;
        while (firstWord < n && tokens.get(firstWord).kind != Token.WORD) {
            firstWord++;
        }
        for (int i = 0; i < n; i++) {
            Token t = tokens.get(i);
            if (t.kind == Token.WORD) {
                words++;
                if (t.caps) {
                    capsWords++;
                }
                String key = t.norm;
                String alt = t.alt;
                if (i + 1 < n && tokens.get(i + 1).kind == Token.WORD) {
                    float p = rules.phrase(key, tokens.get(i + 1).norm);
                    if (!Float.isNaN(p)) {
                        val[i] = p;
                        i++; // the second word is part of the phrase
                        words++;
                        continue;
                    }
                }
                if (rules.isNegator(key) || (alt != null && rules.isNegator(alt))) {
                    if (t.elongated && (i + 1 == n || tokens.get(i + 1).kind != Token.WORD)) {
                        val[i] = ELONGATED_NO; // "NOOOO!", "neiiin"
                    } else {
                        role[i] = NEGATOR;
                    }
                    continue;
                }
                Float b = rules.booster(key);
                if (b == null && alt != null) {
                    b = rules.booster(alt);
                }
                // a booster boosts the next word; on its own ("Mega!") it is looked up
                if (b != null && i + 1 < n && tokens.get(i + 1).kind == Token.WORD) {
                    role[i] = BOOSTER_ROLE;
                    boost[i] = b;
                    continue;
                }
                if (rules.isContrast(key)) {
                    role[i] = CONTRAST;
                    continue;
                }
                if (i == firstWord && RuleWords.SALUTATIONS.contains(key)) {
                    continue; // "Liebe Frau Will, …" is a salutation, not love
                }
                if (rules.isVerbOnlyAfterSubject(key)
                        && (i == 0 || !RuleWords.LIKE_SUBJECTS.contains(tokens.get(i - 1).norm))) {
                    continue; // "like a boss", "looks like": not the verb
                }
                float v = rules.valence(key);
                if (Float.isNaN(v) && alt != null) {
                    v = rules.valence(alt);
                }
                val[i] = Float.isNaN(v) ? 0f : v;
            } else if (t.kind == Token.EMOJI) {
                float v = Rules.emoji(t.norm);
                val[i] = Float.isNaN(v) ? 0f : v;
            }
        }
        boolean shouting = capsWords > 0 && capsWords * 2 >= words;

        boolean[] negated = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (role[i] != NEGATOR) {
                continue;
            }
            if (i + 1 < n && rules.cancelsNegation(tokens.get(i + 1).norm)) {
                continue; // "nicht nur", "not only"
            }
            boolean modal = isModalNegation(tokens, i);
            boolean found = false;
            for (int j = i + 1; j <= i + SCOPE && j < n; j++) {
                Token t = tokens.get(j);
                if (t.isBreak() || role[j] == NEGATOR) {
                    break;
                }
                if (val[j] != 0 && t.kind == Token.WORD) {
                    found = true;
                    if (modal && RuleWords.COMPARATIVES.contains(t.norm)) {
                        continue; // "couldn't be happier", "könnte nicht besser sein"
                    }
                    negated[j] = !negated[j];
                }
            }
            if (!found && rules.backwardNegation) {
                for (int j = i - 1; j >= i - SCOPE && j >= 0; j--) {
                    Token t = tokens.get(j);
                    if (t.isBreak() || role[j] == NEGATOR) {
                        break;
                    }
                    if (val[j] != 0 && t.kind == Token.WORD) {
                        negated[j] = !negated[j];
                        break;
                    }
                }
            }
        }

        float[] adj = new float[n];
        for (int i = 0; i < n; i++) {
            float v = val[i];
            if (v == 0) {
                continue;
            }
            Token t = tokens.get(i);
            float sign = Math.signum(v);
            if (t.kind == Token.WORD) {
                if (t.caps && !shouting) {
                    v += sign * CAPS_BOOST;
                }
                if (t.elongated) {
                    v += sign * ELONGATION_BOOST;
                }
                float decay = 1f;
                for (int j = i - 1; j >= i - SCOPE && j >= 0; j--) {
                    Token p = tokens.get(j);
                    if (p.isBreak()) {
                        break;
                    }
                    if (role[j] == BOOSTER_ROLE) {
                        float b = boost[j];
                        if (p.caps && !shouting) {
                            b += Math.signum(b) * BOOSTER;
                        }
                        v += sign * b * decay;
                    }
                    decay -= 0.05f;
                }
                if (negated[i]) {
                    v *= NEGATION_SCALAR;
                }
            }
            adj[i] = v;
        }

        double sum = 0;
        int exclamations = 0;
        int start = 0;
        for (int i = 0; i <= n; i++) {
            Token end = i < n ? tokens.get(i) : null;
            if (end != null && end.kind != Token.SENTENCE_END) {
                continue;
            }
            int contrast = -1;
            for (int j = start; j < i; j++) {
                if (role[j] == CONTRAST) {
                    contrast = j;
                }
            }
            float sentenceFactor = 1f;
            if (end != null) {
                exclamations += end.exclamations;
                if (end.questions > 0 && end.exclamations == 0) {
                    sentenceFactor = QUESTION_DAMPING;
                }
            }
            for (int j = start; j < i; j++) {
                if (adj[j] == 0) {
                    continue;
                }
                float f = sentenceFactor;
                if (contrast >= 0) {
                    f *= j < contrast ? BEFORE_CONTRAST : AFTER_CONTRAST;
                }
                sum += adj[j] * f;
            }
            start = i + 1;
        }
        if (sum > 0) {
            sum = Math.max(0, sum - POSITIVITY_BIAS);
        }
        if (sum != 0) {
            sum += Math.signum(sum) * Math.min(4, exclamations) * EXCLAMATION_BOOST;
        }
        return sum;
    }

    /** A negator that is or follows "could"/"can" ("couldn't", "könnte nicht"). */
    private static boolean isModalNegation(List<Token> tokens, int i) {
        String w = tokens.get(i).norm;
        if (w.startsWith("could") || w.startsWith("can")) {
            return true;
        }
        return i > 0 && RuleWords.MODALS.contains(tokens.get(i - 1).norm);
    }

    @Override
    public String toString() {
        return "LexiconSentimentScorer";
    }

    /** The words a language's rules need; one instance per language per JVM. */
    static final class Rules {
        static final Rules GERMAN =
                new Rules(
                        RuleWords.GERMAN_NEGATORS,
                        RuleWords.GERMAN_BOOSTERS,
                        RuleWords.GERMAN_CONTRAST,
                        RuleWords.GERMAN_NEGATION_CANCELLERS,
                        true,
                        Mode.GERMAN);
        static final Rules ENGLISH =
                new Rules(
                        RuleWords.ENGLISH_NEGATORS,
                        RuleWords.ENGLISH_BOOSTERS,
                        RuleWords.ENGLISH_CONTRAST,
                        RuleWords.ENGLISH_NEGATION_CANCELLERS,
                        false,
                        Mode.ENGLISH);
        static final Rules BOTH =
                new Rules(
                        union(RuleWords.GERMAN_NEGATORS, RuleWords.ENGLISH_NEGATORS),
                        unionMap(RuleWords.GERMAN_BOOSTERS, RuleWords.ENGLISH_BOOSTERS),
                        union(RuleWords.GERMAN_CONTRAST, RuleWords.ENGLISH_CONTRAST),
                        union(
                                RuleWords.GERMAN_NEGATION_CANCELLERS,
                                RuleWords.ENGLISH_NEGATION_CANCELLERS),
                        true,
                        Mode.BOTH);

        final Set<String> negators;
        final Map<String, Float> boosters;
        final Set<String> contrast;
        final Set<String> negationCancellers;
        final boolean backwardNegation;
        private final Mode mode;

        private enum Mode {
            GERMAN,
            ENGLISH,
            BOTH
        }

        private Rules(
                Set<String> negators,
                Map<String, Float> boosters,
                Set<String> contrast,
                Set<String> negationCancellers,
                boolean backwardNegation,
                Mode mode) {
            this.negators = negators;
            this.boosters = boosters;
            this.contrast = contrast;
            this.negationCancellers = negationCancellers;
            this.backwardNegation = backwardNegation;
            this.mode = mode;
        }

        static Rules forLanguage(String lang, List<Token> tokens) {
            if (lang != null) {
                String l = lang.length() > 2 ? lang.substring(0, 2) : lang;
                if (l.equalsIgnoreCase("de")) {
                    return GERMAN;
                }
                if (l.equalsIgnoreCase("en")) {
                    return ENGLISH;
                }
            }
            return guess(tokens);
        }

        /** German or English by their function words; both when undecided. */
        static Rules guess(List<Token> tokens) {
            int de = 0;
            int en = 0;
            for (Token t : tokens) {
                if (t.kind == Token.WORD) {
                    if (RuleWords.GERMAN_FUNCTION_WORDS.contains(t.norm)) {
                        de++;
                    } else if (RuleWords.ENGLISH_FUNCTION_WORDS.contains(t.norm)) {
                        en++;
                    }
                }
            }
            if (de > en) {
                return GERMAN;
            }
            if (en > de) {
                return ENGLISH;
            }
            return BOTH;
        }

        /** "like" is a preposition unless a subject or an adverb comes before it. */
        boolean isVerbOnlyAfterSubject(String w) {
            return mode != Mode.GERMAN && w.equals("like");
        }

        boolean isNegator(String w) {
            return negators.contains(w) || (mode != Mode.GERMAN && w.endsWith("n't"));
        }

        Float booster(String w) {
            return boosters.get(w);
        }

        boolean isContrast(String w) {
            return contrast.contains(w);
        }

        boolean cancelsNegation(String w) {
            return negationCancellers.contains(w);
        }

        float valence(String w) {
            if (mode == Mode.GERMAN) {
                float v = Lexicons.german().lookup(w);
                if (Float.isNaN(v) && !RuleWords.FALSE_FRIENDS.contains(w)) {
                    // English words are common in German posts ("fail", "nice")
                    v = Lexicons.english().exact(w);
                }
                return v;
            }
            if (mode == Mode.BOTH) {
                if (RuleWords.FALSE_FRIENDS.contains(w)) {
                    return Float.NaN; // "war", "die", "gift": cannot tell which language
                }
                float v = Lexicons.english().lookup(w);
                if (Float.isNaN(v)) {
                    v = Lexicons.german().lookup(w);
                }
                return v;
            }
            return Lexicons.english().lookup(w);
        }

        float phrase(String first, String second) {
            float v = Float.NaN;
            if (mode != Mode.ENGLISH) {
                v = Lexicons.german().phrase(first, second);
            }
            if (Float.isNaN(v) && mode != Mode.GERMAN) {
                v = Lexicons.english().phrase(first, second);
            }
            return v;
        }

        static float emoji(String e) {
            return Lexicons.emoji().exact(e);
        }

        private static Set<String> union(Set<String> a, Set<String> b) {
            java.util.HashSet<String> s = new java.util.HashSet<>(a);
            s.addAll(b);
            return Set.copyOf(s);
        }

        private static Map<String, Float> unionMap(Map<String, Float> a, Map<String, Float> b) {
            java.util.HashMap<String, Float> m = new java.util.HashMap<>(b);
            m.putAll(a);
            return Map.copyOf(m);
        }
    }

    /** The lexicons, read on first use, once per JVM (class loader). */
    static final class Lexicons {
        private Lexicons() {}

        static Lexicon german() {
            return GermanHolder.LEXICON;
        }

        static Lexicon english() {
            return EnglishHolder.LEXICON;
        }

        static Lexicon emoji() {
            return EmojiHolder.LEXICON;
        }

        private static final class GermanHolder {
            static final Lexicon LEXICON =
                    Lexicon.load(
                            "/echolot/sentiment/de.tsv",
                            new String[] {"ern", "en", "er", "es", "em", "st", "e", "n", "s", "t"},
                            true);
        }

        private static final class EnglishHolder {
            static final Lexicon LEXICON =
                    Lexicon.load(
                            "/echolot/sentiment/en.tsv",
                            new String[] {"ing", "ed", "es", "ly", "s", "d"},
                            false);
        }

        private static final class EmojiHolder {
            static final Lexicon LEXICON =
                    Lexicon.load("/echolot/sentiment/emoji.tsv", new String[0], false);
        }
    }
}
