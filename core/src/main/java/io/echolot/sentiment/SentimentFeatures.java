package io.echolot.sentiment;

import io.echolot.sentiment.LexiconSentimentScorer.Rules;
import java.util.Arrays;
import java.util.List;

/**
 * The features of one text for {@link SentimentModel}: hashed words (and emoji, emoticons, question
 * and exclamation marks), optionally word bigrams and character 3- to 5-grams, words in the scope
 * of a negation marked as such, and the lexicon scorer's verdict as a few dense values. The same
 * code serves training and scoring, so they cannot drift apart.
 *
 * <p>Not thread-safe: one instance per thread (the scorer keeps one in a {@link ThreadLocal}).
 */
final class SentimentFeatures {

    /**
     * Dense features: bias, the lexicon score, its positive and negative parts, and the lexicon's
     * label (positive, negative) as indicators, so the model can follow the lexicon's own band.
     */
    static final int DENSE = 6;

    /**
     * Dense features of the {@link #VADER} group, after {@link #DENSE}: VADER's positive and
     * negative valence summed outside and inside a negation's scope (VADER knows about 7,500
     * English words, slang and emoticons, four times the own lexicon), the share of all-caps words
     * and whether a word is elongated ("guuut").
     */
    static final int VADER_DENSE = 6;

    private static final int WORD = 0x9E3779B9;
    private static final int NEGATED = 0x85EBCA6B;
    private static final int BIGRAM = 0xC2B2AE35;
    private static final int CHARS = 0x27D4EB2F;
    private static final int MIN_CHARS = 3;
    private static final int MAX_CHARS = 5;

    /** Feature groups beyond words: word bigrams. */
    static final int BIGRAMS = 1;

    /** Feature groups beyond words: character 3- to 5-grams. */
    static final int CHAR_NGRAMS = 2;

    /** Feature groups beyond words: VADER lexicon sums, caps and elongation as dense values. */
    static final int VADER = 4;

    /** The number of dense features with the given groups. */
    static int denseCount(int groups) {
        return DENSE + ((groups & VADER) != 0 ? VADER_DENSE : 0);
    }

    private final int mask;
    private final int groups;
    int[] indices = new int[256];
    int size;

    /**
     * Where the character n-grams start in {@link #indices}: before it words, emoji, marks and
     * bigrams, from it to {@link #size} character n-grams (none without that group).
     */
    int split;

    /**
     * Each hashed feature's value before {@link #split}: 1/sqrt(count), so long and short texts
     * weigh alike.
     */
    float value;

    /**
     * Each character n-gram's value: 1/sqrt(count) of its own, so the many n-grams of a word do not
     * drown the word itself.
     */
    float charValue;

    private int[] chars = new int[256];
    private int charSize;

    final float[] dense;

    /** Where the text was German, English or undecided, by the lexicon's rules. */
    Rules rules;

    SentimentFeatures(int bits, int groups) {
        this.mask = (1 << bits) - 1;
        this.groups = groups;
        this.dense = new float[denseCount(groups)];
    }

    boolean fits(int bits, int groups) {
        return mask == (1 << bits) - 1 && this.groups == groups;
    }

    /** Extracts the features of a text; returns false for a text without tokens. */
    boolean extract(String text, String lang) {
        size = 0;
        split = 0;
        charSize = 0;
        value = 0f;
        charValue = 0f;
        Arrays.fill(dense, 0f);
        dense[0] = 1f;
        rules = null;
        if (text == null || text.isBlank()) {
            return false;
        }
        List<Token> tokens = Tokenizer.tokenize(text);
        if (tokens.isEmpty()) {
            return false;
        }
        rules = Rules.forLanguage(lang, tokens);
        double lexicon =
                LexiconSentimentScorer.normalize(LexiconSentimentScorer.sum(tokens, rules));
        dense[1] = (float) lexicon;
        dense[2] = (float) Math.max(lexicon, 0);
        dense[3] = (float) Math.max(-lexicon, 0);
        dense[4] = lexicon >= io.echolot.model.SentimentLabel.NEUTRAL_BAND ? 1f : 0f;
        dense[5] = lexicon <= -io.echolot.model.SentimentLabel.NEUTRAL_BAND ? 1f : 0f;
        double[] vader = new double[4];
        int words = 0;
        int caps = 0;
        boolean elongated = false;
        // A negation holds until the clause ends: "nicht gut, aber billig" negates only "gut".
        boolean negated = false;
        int previous = 0;
        boolean hasPrevious = false;
        for (Token t : tokens) {
            if (t.isBreak()) {
                negated = false;
                hasPrevious = false;
                add(mix(WORD, t.kind == Token.SENTENCE_END && t.questions > 0 ? 1 : 2));
                if (t.exclamations > 0) {
                    add(mix(WORD, 3));
                }
                continue;
            }
            String w = t.alt != null ? t.alt : t.norm;
            int h = hash(w, 0, w.length(), WORD);
            if (negated) {
                h = mix(h, NEGATED);
            }
            add(h);
            // VADER is English: in German text only its emoticons count, else "hat", "die" or
            // "fast" would be read as English words.
            float v =
                    (groups & VADER) == 0 || rules == Rules.GERMAN && t.kind == Token.WORD
                            ? 0f
                            : VaderLexicon.valence(t.norm, t.alt);
            if (v != 0) {
                vader[(negated ? 2 : 0) + (v > 0 ? 0 : 1)] += Math.abs(v);
            }
            if (t.kind == Token.WORD) {
                words++;
                if (t.caps) {
                    caps++;
                }
                elongated |= t.elongated;
            }
            if (hasPrevious && (groups & BIGRAMS) != 0) {
                add(mix(mix(previous, BIGRAM), h));
            }
            previous = h;
            hasPrevious = true;
            if (t.kind == Token.WORD) {
                if ((groups & CHAR_NGRAMS) != 0) {
                    chars(w, negated);
                }
                if (rules.isNegator(w)) {
                    negated = true;
                }
            }
        }
        if ((groups & VADER) != 0) {
            for (int i = 0; i < 4; i++) {
                // Squashed like the lexicon's score, so one long rant does not outweigh the rest.
                dense[DENSE + i] = (float) LexiconSentimentScorer.normalize(vader[i]);
            }
            dense[DENSE + 4] = words == 0 ? 0f : caps / (float) words;
            dense[DENSE + 5] = elongated ? 1f : 0f;
        }
        value = size == 0 ? 0f : (float) (1.0 / Math.sqrt(size));
        split = size;
        if (charSize > 0) {
            charValue = (float) (1.0 / Math.sqrt(charSize));
            if (size + charSize > indices.length) {
                indices = Arrays.copyOf(indices, size + charSize);
            }
            System.arraycopy(chars, 0, indices, size, charSize);
            size += charSize;
        }
        return true;
    }

    /** Character n-grams of a word with its boundaries ("^gut$"), so prefixes and endings count. */
    private void chars(String w, boolean negated) {
        int n = w.length() + 2;
        int seed = negated ? mix(CHARS, NEGATED) : CHARS;
        for (int i = 0; i + MIN_CHARS <= n; i++) {
            int h = seed;
            for (int j = i; j < n && j < i + MAX_CHARS; j++) {
                char c = j == 0 ? '^' : j == n - 1 ? '$' : w.charAt(j - 1);
                h = mix(h, c);
                if (j - i + 1 >= MIN_CHARS) {
                    if (charSize == chars.length) {
                        chars = Arrays.copyOf(chars, charSize * 2);
                    }
                    chars[charSize++] = fmix(h) & mask;
                }
            }
        }
    }

    private void add(int h) {
        if (size == indices.length) {
            indices = Arrays.copyOf(indices, size * 2);
        }
        indices[size++] = fmix(h) & mask;
    }

    private static int hash(String s, int from, int to, int seed) {
        int h = seed;
        for (int i = from; i < to; i++) {
            h = mix(h, s.charAt(i));
        }
        return h;
    }

    /** One round of MurmurHash3's body: cheap and well mixed. */
    private static int mix(int h, int k) {
        k *= 0xCC9E2D51;
        k = Integer.rotateLeft(k, 15);
        k *= 0x1B873593;
        h ^= k;
        h = Integer.rotateLeft(h, 13);
        return h * 5 + 0xE6546B64;
    }

    /** MurmurHash3's finaliser, so the low bits used as index depend on every input bit. */
    private static int fmix(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h;
    }
}
