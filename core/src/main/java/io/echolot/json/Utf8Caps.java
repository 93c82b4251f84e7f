package io.echolot.json;

import java.nio.charset.StandardCharsets;

/**
 * Cuts text and bytes to a size in UTF-8 bytes without producing invalid UTF-8: never inside a
 * multi-byte sequence, never between the two halves of a surrogate pair. Never throws; {@code null}
 * stays {@code null}.
 */
public final class Utf8Caps {

    /** Appended to a string that was cut, so readers see it is incomplete. */
    public static final String MARKER = "…[truncated]";

    private static final int MARKER_BYTES = MARKER.getBytes(StandardCharsets.UTF_8).length;

    private Utf8Caps() {}

    /** UTF-8 length of {@code s} as {@link String#getBytes} encodes it (lone surrogates as '?'). */
    public static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * {@code s} if its UTF-8 form has at most {@code maxBytes}, else its longest prefix that leaves
     * room for {@link #MARKER}, followed by the marker. {@code maxBytes} below the marker's size
     * gives a bare prefix.
     */
    public static String cap(String s, int maxBytes) {
        if (s == null || utf8Length(s) <= maxBytes) {
            return s;
        }
        if (maxBytes < MARKER_BYTES) {
            return prefix(s, Math.max(0, maxBytes));
        }
        return prefix(s, maxBytes - MARKER_BYTES) + MARKER;
    }

    /** {@link #cap} as UTF-8 bytes; {@code null} becomes an empty array. */
    public static byte[] capToBytes(String s, int maxBytes) {
        return s == null ? new byte[0] : cap(s, maxBytes).getBytes(StandardCharsets.UTF_8);
    }

    /** The longest prefix of {@code s} whose UTF-8 form has at most {@code maxBytes}. */
    public static String prefix(String s, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int chars = 1;
            int size;
            if (c < 0x80) {
                size = 1;
            } else if (c < 0x800) {
                size = 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                size = 4;
                chars = 2;
            } else if (Character.isSurrogate(c)) {
                size = 1;
            } else {
                size = 3;
            }
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            i += chars;
        }
        return s.substring(0, i);
    }

    /**
     * The first bytes of {@code bytes}, at most {@code maxBytes}, backed off so a UTF-8 sequence is
     * not cut in half (binary data may lose up to three more bytes).
     */
    public static byte[] prefix(byte[] bytes, int maxBytes) {
        if (bytes.length <= maxBytes) {
            return bytes;
        }
        int end = Math.max(0, maxBytes);
        if ((bytes[end] & 0xC0) == 0x80) {
            // the first byte left out continues a sequence: leave out its lead byte too
            int lead = end - 1;
            while (lead > 0 && end - lead < 4 && (bytes[lead] & 0xC0) == 0x80) {
                lead--;
            }
            if (lead >= 0 && (bytes[lead] & 0xC0) == 0xC0) {
                end = lead;
            }
        }
        byte[] cut = new byte[end];
        System.arraycopy(bytes, 0, cut, 0, end);
        return cut;
    }
}
