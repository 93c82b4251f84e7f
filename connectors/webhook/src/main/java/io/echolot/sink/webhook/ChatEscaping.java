package io.echolot.sink.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes input text (brands, topics, alert ids, post texts, URLs: all from the open internet) safe
 * to put into Slack mrkdwn and Adaptive Card markdown, so that a post can neither format the
 * message, nor ping a channel, nor link anywhere but to its own http(s) URL.
 *
 * <p>Every text is first {@link #clean cleaned} (no line breaks, control or bidi characters, no
 * unpaired surrogates), then escaped for its format. URLs become links only through {@link
 * #httpUrl}.
 */
final class ChatEscaping {

    /** URLs longer than this (after encoding) are not linked: chat messages have size limits. */
    static final int MAX_URL = 1000;

    /** Characters kept as they are in a URL; everything else is percent-encoded. */
    private static final String URL_SAFE =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@!$&'*+,;=";

    /** Markdown characters escaped with a backslash in Adaptive Card texts. */
    private static final String TEAMS_SPECIAL = "\\*_~`[]()<>#|{}&!";

    /** A list item or heading marker at the start of an Adaptive Card text. */
    private static final Pattern TEAMS_LINE_START = Pattern.compile("^(\\s*)(\\d+)([.)])");

    /** Words that would notify a whole channel in Slack if they were ever parsed. */
    private static final Pattern SLACK_BROADCAST =
            Pattern.compile(
                    "(?<!\\w)@(?=(channel|here|everyone)\\b)",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ChatEscaping() {}

    /**
     * The text on one line, as it can be shown: null as empty, line breaks, tabs and other control
     * characters as spaces, bidi embeddings, overrides, isolates and marks removed (they would turn
     * the message's own text around them), unpaired surrogates as U+FFFD.
     */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (isBidiControl(cp)) {
                continue;
            }
            if (Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029 || cp == 0x85) {
                out.append(' ');
            } else if (cp <= 0xFFFF && Character.isSurrogate((char) cp)) {
                out.append('\uFFFD');
            } else {
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }

    private static boolean isBidiControl(int cp) {
        return cp == 0x061C
                || cp == 0x200E
                || cp == 0x200F
                || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2066 && cp <= 0x2069);
    }

    /** At most {@code max} characters, never cutting a surrogate pair, "…" when cut. */
    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }

    /**
     * Input text for a Slack mrkdwn text object. {@code &}, {@code <} and {@code >} become entities
     * (Slack's own escaping: no {@code <!channel>}, {@code <@U123>} or {@code <url|text>} can be
     * formed). Slack has no escape for its formatting characters, so {@code * _ ~ `} become
     * look-alikes (∗ ˍ ∼ ˋ); a word joiner after the {@code @} of {@code @channel}, {@code @here}
     * and {@code @everyone} keeps them plain text even where Slack parses such words.
     */
    static String slack(String s) {
        String c = clean(s);
        StringBuilder out = new StringBuilder(c.length() + 16);
        for (int i = 0; i < c.length(); i++) {
            char ch = c.charAt(i);
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '*' -> out.append('\u2217');
                case '_' -> out.append('\u02CD');
                case '~' -> out.append('\u223C');
                case '`' -> out.append('\u02CB');
                default -> out.append(ch);
            }
        }
        return SLACK_BROADCAST.matcher(out).replaceAll("@\u2060");
    }

    /**
     * Input text for a Slack {@code plain_text} object (not parsed for markup): cleaned, with
     * {@code <} and {@code >} as the look-alikes ‹ and ›, so it cannot carry Slack's control
     * sequences even to a client that parsed it.
     */
    static String slackPlain(String s) {
        return clean(s).replace('<', '\u2039').replace('>', '\u203A');
    }

    /** A Slack link {@code <url|text>}; {@code url} must come from {@link #httpUrl}. */
    static String slackLink(String url, String text) {
        return "<" + url.replace("&", "&amp;") + "|" + slack(text) + ">";
    }

    /**
     * Input text for Adaptive Card markdown (TextBlock texts, FactSet values): every markdown
     * character backslash-escaped ({@code \ * _ ~ ` [ ] ( ) < > # | { } & !}, so no emphasis, link,
     * image, entity or {@code {{DATE()}}} function can be formed), and a leading list number
     * ({@code 1.}) or list marker ({@code -}, {@code +}) escaped too.
     */
    static String teams(String s) {
        String c = clean(s);
        StringBuilder out = new StringBuilder(c.length() + 16);
        Matcher m = TEAMS_LINE_START.matcher(c);
        int from = 0;
        if (m.find()) {
            out.append(m.group(1)).append(m.group(2)).append('\\').append(m.group(3));
            from = m.end();
        } else {
            String stripped = c.stripLeading();
            if (stripped.startsWith("-") || stripped.startsWith("+") || stripped.startsWith("=")) {
                int at = c.length() - stripped.length();
                out.append(c, 0, at).append('\\').append(stripped.charAt(0));
                from = at + 1;
            }
        }
        for (int i = from; i < c.length(); i++) {
            char ch = c.charAt(i);
            if (TEAMS_SPECIAL.indexOf(ch) >= 0) {
                out.append('\\');
            }
            out.append(ch);
        }
        return out.toString();
    }

    /** An Adaptive Card markdown link {@code [text](url)}; {@code url} from {@link #httpUrl}. */
    static String teamsLink(String url, String text) {
        return "[" + teams(text) + "](" + url + ")";
    }

    /**
     * The URL ready to be linked, or null when it must not be: only {@code http} and {@code https}
     * URLs with a host. Every character but letters, digits and {@code -._~:/?#@!$&'*+,;=} is
     * percent-encoded (UTF-8), including spaces, control characters, {@code | < > ( ) [ ] " `} and
     * a {@code %} that does not start an escape, so the URL cannot end the link syntax around it.
     * Null when longer than {@value #MAX_URL} characters after encoding.
     */
    static String httpUrl(String raw) {
        if (raw == null) {
            return null;
        }
        String u = raw.strip();
        String lower = u.toLowerCase(Locale.ROOT);
        int rest;
        if (lower.startsWith("https://")) {
            rest = 8;
        } else if (lower.startsWith("http://")) {
            rest = 7;
        } else {
            return null;
        }
        if (u.length() == rest || "/?#\\".indexOf(u.charAt(rest)) >= 0) {
            return null; // no host
        }
        StringBuilder out = new StringBuilder(u.length() + 16);
        out.append(lower, 0, rest);
        for (int i = rest; i < u.length(); ) {
            int cp = u.codePointAt(i);
            int n = Character.charCount(cp);
            if (cp == '%'
                    && i + 2 < u.length()
                    && isHex(u.charAt(i + 1))
                    && isHex(u.charAt(i + 2))) {
                out.append('%');
            } else if (cp < 0x80 && URL_SAFE.indexOf(cp) >= 0) {
                out.append((char) cp);
            } else {
                percentEncode(cp, out);
            }
            i += n;
            if (out.length() > MAX_URL) {
                return null;
            }
        }
        return out.toString();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Appends the UTF-8 bytes of {@code cp} as {@code %XX}; an unpaired surrogate as U+FFFD. */
    static void percentEncode(int cp, StringBuilder out) {
        String c =
                cp <= 0xFFFF && Character.isSurrogate((char) cp)
                        ? "\uFFFD"
                        : Character.toString(cp);
        for (byte b : c.getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
    }
}
