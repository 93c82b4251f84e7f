package io.echolot.sentiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One language's word valences, read once from a classpath resource. A line is {@code
 * term<TAB>valence} with valence in [-4, 4]; {@code #} starts a comment. A term ending in {@code *}
 * is a stem: it matches every word that starts with it (longest stem wins); a term of two words
 * separated by a space is a phrase. Terms are folded with {@link Text#fold(CharSequence)}, so
 * {@code enttäuscht} and {@code enttaeuscht} are one entry.
 */
final class Lexicon {

    /** Shortest part of a compound that is looked up on its own ("Zug|ausfall"). */
    private static final int MIN_COMPOUND_HEAD = 4;

    private static final int MIN_STEM = 3;

    private final Map<String, Float> words;
    private final Map<String, Float> stems;
    private final Map<String, Float> phrases;
    private final Set<String> phraseHeads;
    private final String[] inflections;
    private final boolean compounds;
    private final int maxStem;

    /** The longest tail a compound can match: the longest word with the longest suffix. */
    private final int maxTail;

    private Lexicon(
            Map<String, Float> words,
            Map<String, Float> stems,
            Map<String, Float> phrases,
            String[] inflections,
            boolean compounds) {
        this.words = words;
        this.stems = stems;
        this.phrases = phrases;
        this.phraseHeads = new HashSet<>();
        for (String p : phrases.keySet()) {
            phraseHeads.add(p.substring(0, p.indexOf(' ')));
        }
        this.inflections = inflections;
        this.maxStem = stems.keySet().stream().mapToInt(String::length).max().orElse(0);
        this.maxTail =
                words.keySet().stream().mapToInt(String::length).max().orElse(0)
                        + java.util.Arrays.stream(inflections)
                                .mapToInt(String::length)
                                .max()
                                .orElse(0);
        this.compounds = compounds;
    }

    /**
     * Loads a lexicon resource.
     *
     * @param inflections suffixes tried when a word is not found as it is (longest first)
     * @param compounds whether an unknown word is also looked up by its longest known tail, as
     *     German compounds take their sentiment from their last part
     */
    static Lexicon load(String resource, String[] inflections, boolean compounds) {
        Map<String, Float> words = new HashMap<>(8192);
        Map<String, Float> stems = new HashMap<>(512);
        Map<String, Float> phrases = new HashMap<>(128);
        InputStream in = Lexicon.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("sentiment lexicon not on the classpath: " + resource);
        }
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                int tab = line.indexOf('\t');
                if (tab <= 0) {
                    throw new IllegalStateException(
                            resource + ":" + n + ": expected term<TAB>valence");
                }
                String term = line.substring(0, tab).strip();
                String rest = line.substring(tab + 1);
                int comment = rest.indexOf('#');
                float valence =
                        Float.parseFloat((comment < 0 ? rest : rest.substring(0, comment)).strip());
                if (valence < -4 || valence > 4) {
                    throw new IllegalStateException(
                            resource + ":" + n + ": valence out of [-4, 4]");
                }
                if (term.indexOf(' ') > 0) {
                    phrases.put(Text.fold(term), valence);
                } else if (term.endsWith("*")) {
                    stems.put(Text.fold(term.substring(0, term.length() - 1)), valence);
                } else {
                    words.put(Text.fold(term), valence);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Lexicon(words, stems, phrases, inflections, compounds);
    }

    int size() {
        return words.size() + stems.size() + phrases.size();
    }

    /** The valence of the two-word phrase "first second", or NaN. */
    float phrase(String first, String second) {
        if (!phraseHeads.contains(first)) {
            return Float.NaN;
        }
        Float v = phrases.get(first + ' ' + second);
        return v == null ? Float.NaN : v;
    }

    /** The valence of a folded word as it is, or NaN. */
    float exact(String word) {
        Float v = words.get(word);
        return v == null ? Float.NaN : v;
    }

    /**
     * The valence of a folded word: as it is, without an inflection suffix, by its longest stem, or
     * (when compounds are on) by its longest known tail. NaN when none matches.
     */
    float lookup(String word) {
        Float v = words.get(word);
        if (v != null) {
            return v;
        }
        int len = word.length();
        for (String suffix : inflections) {
            if (len - suffix.length() >= 3 && word.endsWith(suffix)) {
                String base = word.substring(0, len - suffix.length());
                v = words.get(base);
                if (v == null && base.length() >= 3) {
                    // English: "loved" -> "lov" -> "love"; "happiness" handled by the lexicon
                    v = words.get(base + 'e');
                }
                if (v != null) {
                    return v;
                }
            }
        }
        if (!stems.isEmpty()) {
            for (int end = Math.min(len, maxStem); end >= MIN_STEM; end--) {
                v = stems.get(word.substring(0, end));
                if (v != null) {
                    return v;
                }
            }
        }
        if (compounds && len >= MIN_COMPOUND_HEAD + 3) {
            // a longer tail matches nothing, and trying every tail of a long word costs its
            // length squared
            for (int start = Math.max(3, len - maxTail);
                    start <= len - MIN_COMPOUND_HEAD;
                    start++) {
                String tail = word.substring(start);
                v = words.get(tail);
                if (v == null) {
                    for (String suffix : inflections) {
                        if (tail.length() - suffix.length() >= MIN_COMPOUND_HEAD
                                && tail.endsWith(suffix)) {
                            v = words.get(tail.substring(0, tail.length() - suffix.length()));
                            if (v != null) {
                                break;
                            }
                        }
                    }
                }
                if (v != null) {
                    return v;
                }
            }
        }
        return Float.NaN;
    }
}
