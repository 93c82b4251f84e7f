package io.echolot.sentiment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The sentiment of a post towards one brand: the clauses that name the brand decide, so "Nike is
 * great, Strider fell apart after a month" is negative for Strider. Clauses end at sentence
 * punctuation, semicolons, dashes and contrast words ("but", "while", "whereas"; after a comma
 * "aber", "doch", "jedoch", "während"). A post whose clauses never name the brand is scored as a
 * whole.
 */
public final class BrandDirectedSentiment {

    private static final Pattern CLAUSE =
            Pattern.compile(
                    "(?<=[.!?;])\\s+|\\s+[–—-]\\s+"
                            // German contrast words are also particles ("ist aber teuer"):
                            // only after a comma do they start a clause
                            + "|,\\s+(?=(?:aber|doch|jedoch|während)\\b)"
                            + "|,?\\s+(?=(?:but|while|whereas)\\b)",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private BrandDirectedSentiment() {}

    /**
     * Scores a text towards a brand.
     *
     * @param names the brand's names and aliases as they appear in posts (case and umlaut spelling
     *     do not matter)
     */
    public static Sentiment score(
            SentimentScorer scorer, String text, String lang, Collection<String> names) {
        if (text == null || text.isBlank() || names.isEmpty()) {
            return scorer.score(text, lang);
        }
        List<String> folded = new ArrayList<>(names.size());
        for (String n : names) {
            if (n != null && !n.isBlank()) {
                folded.add(Text.fold(n.strip()));
            }
        }
        StringBuilder about = new StringBuilder();
        for (String clause : CLAUSE.split(text)) {
            String f = Text.fold(clause);
            for (String n : folded) {
                if (containsWord(f, n)) {
                    about.append(clause).append(clause.matches(".*[.!?]\\s*$") ? " " : ". ");
                    break;
                }
            }
        }
        // a single clause, or none naming the brand: the whole text is about it
        String directed = about.toString().strip();
        return scorer.score(directed.isEmpty() ? text : directed, lang);
    }

    private static boolean containsWord(String haystack, String word) {
        int from = 0;
        while (true) {
            int i = haystack.indexOf(word, from);
            if (i < 0) {
                return false;
            }
            int end = i + word.length();
            boolean startOk = i == 0 || !Character.isLetterOrDigit(haystack.charAt(i - 1));
            boolean endOk =
                    end == haystack.length() || !Character.isLetterOrDigit(haystack.charAt(end));
            if (startOk && endOk) {
                return true;
            }
            from = i + 1;
        }
    }
}
