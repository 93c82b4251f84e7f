package io.echolot.json;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Makes strings from the input safe for every writer. A JSON escape such as {@code "\ud800"} (or a
 * CESU-8 byte sequence) reads into a Java string with an unpaired surrogate, which no UTF-8 writer
 * can encode: Jackson's generator throws, so the record would fail later in an Elasticsearch or
 * Kafka sink instead of in the parser.
 */
public final class Unicode {

    /** What an unpaired surrogate is replaced with. */
    public static final char REPLACEMENT = '\uFFFD';

    private Unicode() {}

    /** Whether {@code s} holds a high surrogate without a low one after it, or the reverse. */
    public static boolean hasUnpairedSurrogate(String s) {
        return s != null && firstUnpaired(s) >= 0;
    }

    /**
     * {@code s} with every unpaired surrogate replaced by U+FFFD; well-formed strings as they are.
     */
    public static String wellFormed(String s) {
        if (s == null) {
            return null;
        }
        int first = firstUnpaired(s);
        if (first < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length()).append(s, 0, first);
        for (int i = first; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? REPLACEMENT : c);
            }
        }
        return b.toString();
    }

    /**
     * An identifier made well-formed without merging distinct ones: replacing alone would turn
     * {@code "a\ud800"} and {@code "a\ud801"} into the same id, and deduplication would drop the
     * second as a re-delivery of the first. So an id with unpaired surrogates gets them replaced
     * and a suffix {@code ~} + 16 hex digits of the SHA-256 of its original UTF-16 code units. The
     * same input always gives the same id, so re-deliveries and replies still line up.
     */
    public static String wellFormedId(String id) {
        if (id == null || firstUnpaired(id) < 0) {
            return id;
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        byte[] units = new byte[id.length() * 2];
        for (int i = 0; i < id.length(); i++) {
            units[2 * i] = (byte) (id.charAt(i) >> 8);
            units[2 * i + 1] = (byte) id.charAt(i);
        }
        byte[] digest = sha.digest(units);
        StringBuilder hex = new StringBuilder(16);
        for (int i = 0; i < 8; i++) {
            hex.append(Character.forDigit((digest[i] >> 4) & 0xF, 16))
                    .append(Character.forDigit(digest[i] & 0xF, 16));
        }
        return wellFormed(id) + '~' + hex;
    }

    private static int firstUnpaired(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
