package io.echolot.rules;

import java.text.Normalizer;

/**
 * The one normalization applied to rule terms and to texts before matching, so that both sides meet
 * in the same form:
 *
 * <ul>
 *   <li>lower case (locale independent);
 *   <li>German umlauts and ß spelled out: ä→ae, ö→oe, ü→ue, ß→ss, so "Müller" and "Mueller" are the
 *       same word;
 *   <li>other accents folded: é→e, ç→c, ł→l, ø→o …;
 *   <li>every run of white space (spaces, tabs, line breaks, no-break spaces) becomes one space, so
 *       phrases match across line breaks;
 *   <li>typographic apostrophes (’ ‘ ʼ) become '.
 * </ul>
 *
 * Everything else (punctuation, digits, emoji) stays as it is; word boundaries are decided on the
 * normalized text by {@link #isWordChar(char)}.
 */
public final class TextNormalizer {

    /** Replacements for U+0000..U+024F (Latin-1 and Latin Extended-A/B); null = keep the char. */
    private static final String[] LATIN = new String[0x250];

    static {
        for (char c = 0x80; c < 0x250; c++) {
            String lower = String.valueOf(Character.toLowerCase(c));
            String folded =
                    switch (lower) {
                        case "ä" -> "ae";
                        case "ö" -> "oe";
                        case "ü" -> "ue";
                        case "ß" -> "ss";
                        case "æ" -> "ae";
                        case "œ" -> "oe";
                        case "ø" -> "o";
                        case "ł" -> "l";
                        case "đ" -> "d";
                        case "ı" -> "i";
                        default -> stripMarks(lower);
                    };
            if (!folded.equals(String.valueOf(c))) {
                LATIN[c] = folded;
            }
        }
        LATIN[0xA0] = " "; // no-break space
    }

    private TextNormalizer() {}

    /** The normalized form of {@code text}; "" for null. */
    public static String normalize(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String s = capMarks(text);
        if (!Normalizer.isNormalized(s, Normalizer.Form.NFC)) {
            s = Normalizer.normalize(s, Normalizer.Form.NFC);
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        boolean lastSpace = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                if (!lastSpace) {
                    out.append(' ');
                    lastSpace = true;
                }
                continue;
            }
            lastSpace = false;
            if (c < 0x80) {
                out.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
            } else if (c < 0x250) {
                String r = LATIN[c];
                if (r == null) {
                    out.append(c);
                } else {
                    out.append(r);
                }
            } else if (c == '\u2019' || c == '\u2018' || c == '\u02BC') {
                out.append('\'');
            } else if (Character.isSurrogate(c)) {
                out.append(c);
            } else {
                char lower = Character.toLowerCase(c);
                if (Character.getType(lower) == Character.NON_SPACING_MARK) {
                    continue; // a combining accent NFC could not merge
                }
                out.append(lower);
            }
        }
        return out.toString();
    }

    /**
     * Unicode's stream-safe limit: no character takes more than this many combining marks. NFC
     * sorts a run of marks in time quadratic in its length (40,000 marks after one letter took a
     * second or two), and the marks it cannot merge are dropped below anyway.
     */
    static final int MAX_MARKS = 30;

    /** The text with every run of combining marks cut to {@link #MAX_MARKS}. */
    static String capMarks(String text) {
        int run = 0;
        int i = 0;
        boolean over = false;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            run = isMark(cp) ? run + 1 : 0;
            if (run > MAX_MARKS) {
                over = true;
                break;
            }
            i += Character.charCount(cp);
        }
        if (!over) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length());
        run = 0;
        for (i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            run = isMark(cp) ? run + 1 : 0;
            if (run <= MAX_MARKS) {
                b.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return b.toString();
    }

    private static boolean isMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK
                || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    /** Letters, digits and '_' form words; everything else is a boundary. */
    public static boolean isWordChar(char c) {
        if (c < 0x80) {
            return (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || (c >= 'A' && c <= 'Z');
        }
        return Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK;
    }

    private static String stripMarks(String s) {
        String d = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder b = new StringBuilder(d.length());
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                b.append(c);
            }
        }
        return b.toString();
    }
}
