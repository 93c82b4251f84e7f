package io.echolot.sentiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * VADER's lexicon (MIT, shipped as {@code echolot/sentiment/model/vader_lexicon.tsv} with its
 * licence beside it), read once per JVM. Only the learned scorer uses it, as features; the lexicon
 * scorer keeps its own word lists.
 */
final class VaderLexicon {

    private static final Map<String, Float> VALENCE = load();

    private VaderLexicon() {}

    /** The valence of a token's folded form, else of its de-elongated form, else 0. */
    static float valence(String norm, String alt) {
        Float v = VALENCE.get(norm);
        if (v == null && alt != null) {
            v = VALENCE.get(alt);
        }
        return v == null ? 0f : v;
    }

    private static Map<String, Float> load() {
        String name = "/echolot/sentiment/model/vader_lexicon.tsv";
        Map<String, Float> m = new HashMap<>(16_384);
        try (InputStream in = VaderLexicon.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                int tab = line.indexOf('\t');
                if (line.startsWith("# ") || tab <= 0) {
                    continue;
                }
                m.put(line.substring(0, tab), Float.parseFloat(line.substring(tab + 1).trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(m);
    }
}
