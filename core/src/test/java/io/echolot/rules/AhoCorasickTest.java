package io.echolot.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AhoCorasickTest {

    private static List<String> hits(AhoCorasick ac, List<String> patterns, String text) {
        List<String> out = new ArrayList<>();
        ac.scan(text, (p, end) -> out.add(patterns.get(p) + "@" + (end - ac.patternLength(p))));
        return out;
    }

    @Test
    void findsOverlappingAndNestedPatterns() {
        List<String> patterns = List.of("he", "she", "his", "hers");
        AhoCorasick ac = new AhoCorasick(patterns);

        assertThat(hits(ac, patterns, "ushers")).containsExactly("she@1", "he@2", "hers@2");
        assertThat(hits(ac, patterns, "ahishers"))
                .containsExactly("his@1", "she@3", "he@4", "hers@4");
    }

    @Test
    void findsEveryOccurrenceOfRepeatedPatterns() {
        List<String> patterns = List.of("aa", "a");
        AhoCorasick ac = new AhoCorasick(patterns);

        assertThat(hits(ac, patterns, "aaa")).containsExactly("a@0", "aa@0", "a@1", "aa@1", "a@2");
    }

    @Test
    void agreesWithANaiveSearchOnRandomTexts() {
        Random random = new Random(7);
        List<String> patterns = new ArrayList<>();
        while (patterns.size() < 60) {
            String p = randomText(random, 1 + random.nextInt(5), "abcü# ");
            if (!patterns.contains(p)) {
                patterns.add(p);
            }
        }
        AhoCorasick ac = new AhoCorasick(patterns);
        for (int round = 0; round < 200; round++) {
            String text = randomText(random, random.nextInt(60), "abcüd# ");
            List<String> expected = new ArrayList<>();
            for (int end = 1; end <= text.length(); end++) {
                for (int p = 0; p < patterns.size(); p++) {
                    String s = patterns.get(p);
                    if (end >= s.length() && text.startsWith(s, end - s.length())) {
                        expected.add(s + "@" + (end - s.length()));
                    }
                }
            }
            assertThat(hits(ac, patterns, text)).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void findsPatternsBelowNodesWithManyChildren() {
        List<String> patterns = new ArrayList<>();
        for (char c = 'a'; c <= 'z'; c++) {
            patterns.add("x" + c);
            patterns.add("\u00e4" + c); // non-ASCII first char: not in the root's ASCII table
        }
        AhoCorasick ac = new AhoCorasick(patterns);

        assertThat(hits(ac, patterns, "xqxz\u00e4b\u00e4"))
                .containsExactly("xq@0", "xz@2", "\u00e4b@4");
    }

    @Test
    void rejectsEmptyAndDuplicatePatterns() {
        assertThatThrownBy(() -> new AhoCorasick(List.of("a", ""))).hasMessageContaining("empty");
        assertThatThrownBy(() -> new AhoCorasick(List.of("a", "a")))
                .hasMessageContaining("duplicate");
    }

    private static String randomText(Random random, int length, String alphabet) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
