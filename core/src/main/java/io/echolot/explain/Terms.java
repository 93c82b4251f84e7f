package io.echolot.explain;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * German-aware tokenising for drivers: lower case, umlauts folded (ä → ae, ß → ss, so "Rückruf" and
 * "Rueckruf" are one term), German and English stop words dropped, words split only at non-letters,
 * so compounds such as "Lieferengpass" stay whole. URLs and @handles are not terms. Bounded: at
 * most {@link #MAX_TOKENS} tokens per text, each cut to {@link #MAX_TERM} characters.
 */
public final class Terms {

    /** Tokens read per text; a huge post costs no more than this. */
    public static final int MAX_TOKENS = 200;

    /** A term longer than this is cut (no field name ever comes from a term, it is a value). */
    public static final int MAX_TERM = 40;

    private static final int MIN_TERM = 3;

    // German, then English; split at spaces
    private static final Set<String> STOP_WORDS =
            Set.copyOf(
                    Arrays.asList(
                            String.join(
                                            " ",
                                            "aber alle allem allen aller alles als also am an auch auf aus bei beim bin bis seit ",
                                            "bist da damit dann das dass dem den denn der des dich die dies diese diesem ",
                                            "diesen dieser dir doch dort du durch ein eine einem einen einer eines er es ",
                                            "etwas euch fuer gegen gibt habe haben hat hatte hier hin ich ihm ihn ihr ihre ",
                                            "im immer in ist ja jetzt kann kein keine man mal mehr mein meine mich mir mit ",
                                            "nach nicht nichts noch nun nur ob oder ohne schon sehr sein seine sich sie sind ",
                                            "so ueber um und uns unser unter vom von vor war waren was weil wenn wer werden ",
                                            "wie wieder wir wird wo zu zum zur zwar heute einfach wurde bitte danke gerade ",
                                            "total wirklich ganz viel gut ",
                                            "about after again all and any are because been but can could did does for from ",
                                            "had has have her his how into its just like more most not now off only our out ",
                                            "over really she should some than that the their them then there these they this ",
                                            "those too very was were what when which who why will with would you your today ",
                                            "get got one http https www ")
                                    .trim()
                                    .split(" +")));

    private Terms() {}

    /**
     * The normalised tokens of a text in their order; a stop word leaves a null in its place, so
     * that no phrase is made across it.
     */
    public static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        int n = text.length();
        int i = 0;
        StringBuilder word = new StringBuilder();
        while (i < n && out.size() < MAX_TOKENS) {
            int cp = text.codePointAt(i);
            // a URL or a handle is skipped whole: it is no word of the post
            if ((cp == 'h' || cp == 'H') && startsUrl(text, i) || cp == '@' && word.length() == 0) {
                flush(word, out);
                while (i < n && !Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                out.add(null);
                continue;
            }
            if (Character.isLetter(cp)) {
                if (word.length() < MAX_TERM * 2) {
                    fold(cp, word);
                }
            } else {
                flush(word, out);
            }
            i += Character.charCount(cp);
        }
        flush(word, out);
        return out;
    }

    /** The distinct terms (stop words and words under three letters dropped). */
    public static List<String> terms(List<String> tokens) {
        List<String> out = new ArrayList<>();
        for (String t : tokens) {
            if (t != null && !out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    /** The distinct two-word phrases of adjacent terms, e.g. "sohle loest". */
    public static List<String> phrases(List<String> tokens) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < tokens.size(); i++) {
            String a = tokens.get(i - 1);
            String b = tokens.get(i);
            if (a != null && b != null && !a.equals(b)) {
                String p = a + ' ' + b;
                if (!out.contains(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static boolean startsUrl(String text, int i) {
        return text.regionMatches(true, i, "http://", 0, 7)
                || text.regionMatches(true, i, "https://", 0, 8);
    }

    private static void fold(int cp, StringBuilder word) {
        switch (cp) {
            case 'ä', 'Ä' -> word.append("ae");
            case 'ö', 'Ö' -> word.append("oe");
            case 'ü', 'Ü' -> word.append("ue");
            case 'ß', 'ẞ' -> word.append("ss");
            default -> {
                String lower = new String(Character.toChars(cp)).toLowerCase(Locale.ROOT);
                // other accents go: "Café" and "Cafe" are one term
                String plain = Normalizer.normalize(lower, Normalizer.Form.NFD);
                for (int j = 0; j < plain.length(); j++) {
                    char c = plain.charAt(j);
                    if (Character.getType(c) != Character.NON_SPACING_MARK) {
                        word.append(c);
                    }
                }
            }
        }
    }

    private static void flush(StringBuilder word, List<String> out) {
        if (word.length() == 0) {
            return;
        }
        String w = word.length() > MAX_TERM ? word.substring(0, MAX_TERM) : word.toString();
        word.setLength(0);
        out.add(w.length() < MIN_TERM || STOP_WORDS.contains(w) ? null : w);
    }
}
