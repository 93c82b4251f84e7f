package io.echolot.sentiment;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a text into {@link Token}s in one pass: words (folded, with CamelCase hashtags split into
 * their words), emoji, emoticons, and clause and sentence ends. URLs and @-mentions are dropped.
 */
final class Tokenizer {

    private Tokenizer() {}

    static List<Token> tokenize(String raw) {
        String text = unescape(raw);
        List<Token> out = new ArrayList<>(text.length() / 5 + 4);
        int n = text.length();
        int i = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int s = i;
            while (i < n && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > s) {
                chunk(text, s, i, out);
            }
        }
        return out;
    }

    private static void chunk(String text, int s, int e, List<Token> out) {
        char c0 = text.charAt(s);
        if (c0 == '@' && e - s > 1) {
            return;
        }
        if (text.regionMatches(true, s, "http", 0, 4)
                || text.regionMatches(true, s, "www.", 0, 4)) {
            return;
        }
        if (!Character.isLetterOrDigit(c0) || e - s <= 4) {
            String emoticon = emoticon(text, s, e);
            if (emoticon != null) {
                out.add(Token.emoji(emoticon));
                return;
            }
        }
        int i = s;
        while (i < e) {
            int cp = text.codePointAt(i);
            int len = Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                i = word(text, i, e, out, false);
            } else if (cp == '#'
                    && i + 1 < e
                    && Character.isLetterOrDigit(text.codePointAt(i + 1))) {
                i = word(text, i + 1, e, out, true);
            } else if (cp == '!' || cp == '?' || cp == '.' || cp == ';' || cp == '…') {
                if (cp == '.' && i + 1 < e && Character.isLetterOrDigit(text.charAt(i + 1))) {
                    i++; // 08.04.2016, z.B.
                    continue;
                }
                if (i > s && (cp == ';' || cp == '.')) {
                    String emoticon = emoticon(text, i, e);
                    if (emoticon != null) {
                        out.add(Token.emoji(emoticon));
                        return;
                    }
                }
                int exclamations = 0;
                int questions = 0;
                while (i < e) {
                    char c = text.charAt(i);
                    if (c == '!') {
                        exclamations++;
                    } else if (c == '?') {
                        questions++;
                    } else if (c != '.' && c != ';' && c != '…') {
                        break;
                    }
                    i++;
                }
                out.add(Token.sentenceEnd(exclamations, questions));
            } else if (cp == ':'
                    || cp == '='
                    || cp == '<'
                    || cp == '('
                    || cp == ')'
                    || (cp == '-' && i > s && i + 1 < e)
                    || cp == '^') {
                String emoticon = i > s ? emoticon(text, i, e) : null;
                if (emoticon != null) {
                    out.add(Token.emoji(emoticon));
                    return;
                }
                if (cp == ':') {
                    out.add(Token.clauseEnd());
                }
                i += len;
            } else if (cp == ',' || cp == '–' || cp == '—' || (cp == '-' && e - s == 1)) {
                out.add(Token.clauseEnd());
                i += len;
            } else if (isEmoji(cp)) {
                out.add(Token.emoji(new String(Character.toChars(cp))));
                i += len;
            } else {
                i += len;
            }
        }
    }

    /** The folded emoticon that text[s, e) is, ignoring trailing . , ! ?; else null. */
    private static String emoticon(String text, int s, int e) {
        int end = e;
        while (true) {
            if (end - s >= 2 && end - s <= 6) {
                String key = Text.fold(text.subSequence(s, end));
                if (!Float.isNaN(LexiconSentimentScorer.Lexicons.emoji().exact(key))) {
                    return key;
                }
            }
            if (end - s > 2 && ".,!?".indexOf(text.charAt(end - 1)) >= 0) {
                end--;
            } else {
                return null;
            }
        }
    }

    static boolean isEmoji(int cp) {
        if (cp >= 0x1F3FB && cp <= 0x1F3FF) {
            return false; // skin tone modifiers
        }
        return (cp >= 0x1F000 && cp <= 0x1FAFF)
                || (cp >= 0x2600 && cp <= 0x27BF)
                || (cp >= 0x2190 && Character.getType(cp) == Character.OTHER_SYMBOL);
    }

    /** Reads one word (or a hashtag's words) from i; returns the index after it. */
    private static int word(String text, int i, int e, List<Token> out, boolean hashtag) {
        StringBuilder raw = new StringBuilder(16);
        int j = i;
        boolean prevLower = false;
        while (j < e) {
            int cp = text.codePointAt(j);
            int len = Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                boolean upper = Character.isUpperCase(cp);
                if (hashtag && upper && prevLower) {
                    emit(raw, out, true);
                    raw.setLength(0);
                }
                raw.appendCodePoint(cp);
                prevLower = Character.isLowerCase(cp);
            } else if ((cp == '\'' || cp == '’')
                    && raw.length() > 0
                    && j + 1 < e
                    && Character.isLetter(text.charAt(j + 1))) {
                raw.append('\'');
            } else if (hashtag && cp == '_') {
                emit(raw, out, true);
                raw.setLength(0);
                prevLower = false;
            } else {
                break;
            }
            j += len;
        }
        emit(raw, out, hashtag);
        return j;
    }

    private static void emit(StringBuilder raw, List<Token> out, boolean hashtag) {
        int len = raw.length();
        if (len == 0) {
            return;
        }
        int letters = 0;
        boolean lower = false;
        for (int k = 0; k < len; k++) {
            char c = raw.charAt(k);
            if (Character.isLetter(c)) {
                letters++;
                if (!Character.isUpperCase(c)) {
                    lower = true;
                }
            }
        }
        if (letters == 0) {
            return; // numbers carry no sentiment
        }
        String folded = Text.fold(raw);
        boolean caps = !hashtag && letters >= 2 && !lower;
        boolean elongated = false;
        int run = 1;
        for (int k = 1; k < folded.length(); k++) {
            run = folded.charAt(k) == folded.charAt(k - 1) ? run + 1 : 1;
            if (run >= 3 && Character.isLetter(folded.charAt(k))) {
                elongated = true;
                break;
            }
        }
        if (!elongated) {
            out.add(Token.word(folded, null, caps, false));
            return;
        }
        out.add(Token.word(collapse(folded, 2), collapse(folded, 1), caps, true));
    }

    /** Cuts runs of three or more equal characters to {@code keep}. */
    static String collapse(String s, int keep) {
        StringBuilder b = new StringBuilder(s.length());
        int k = 0;
        while (k < s.length()) {
            char c = s.charAt(k);
            int r = k;
            while (r < s.length() && s.charAt(r) == c) {
                r++;
            }
            int count = r - k;
            int emitCount = count >= 3 ? keep : count;
            for (int x = 0; x < emitCount; x++) {
                b.append(c);
            }
            k = r;
        }
        return b.toString();
    }

    private static final String[][] ENTITIES = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}
    };

    /** Decodes literal {@code \\uXXXX} escapes and the common HTML entities found in exports. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < n && s.charAt(i + 1) == 'u') {
                int v = hex4(s, i + 2);
                if (v >= 0) {
                    b.append((char) v);
                    i += 5;
                    continue;
                }
            } else if (c == '&') {
                boolean done = false;
                for (String[] en : ENTITIES) {
                    if (s.startsWith(en[0], i)) {
                        b.append(en[1]);
                        i += en[0].length() - 1;
                        done = true;
                        break;
                    }
                }
                if (done) {
                    continue;
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    private static int hex4(String s, int from) {
        if (from + 4 > s.length()) {
            return -1;
        }
        int v = 0;
        for (int k = from; k < from + 4; k++) {
            int d = Character.digit(s.charAt(k), 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }
}
