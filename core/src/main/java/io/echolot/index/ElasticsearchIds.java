package io.echolot.index;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Maps the ids that converters build (mention ids, brand|topic|window keys, alert ids) to ids
 * Elasticsearch accepts. Elasticsearch refuses a whole bulk request when one {@code _id} is over
 * {@value #MAX_BYTES} UTF-8 bytes, and ids come from open-internet input, so every request goes
 * through {@link #of} when the bulk is built.
 *
 * <p>An id that fits, is well-formed UTF-16 and does not start with {@value #HASH_PREFIX} is used
 * as it is. Any other id becomes {@value #HASH_PREFIX} followed by the unpadded base64url SHA-256
 * of its UTF-8 bytes (50 ASCII characters). The mapping is deterministic, so replays overwrite and
 * duplicates collapse as before; and because every plain id that starts with the prefix is hashed
 * too, a hashed id never equals a plain one. The original id stays searchable in the document (the
 * {@code id} field of mentions and alerts, the key fields of aggregates and care figures).
 */
public final class ElasticsearchIds {

    /**
     * Elasticsearch's limit on {@code _id} ({@code IndexRequest.MAX_DOCUMENT_ID_LENGTH_IN_BYTES}).
     */
    public static final int MAX_BYTES = 512;

    /** Marks a hashed id; reserved, so plain ids that start with it are hashed as well. */
    public static final String HASH_PREFIX = "sha256~";

    // ids with unpaired surrogates have no UTF-8 form; their UTF-16 code units are hashed instead,
    // behind a byte that no UTF-8 encoding starts with, so they cannot collide with well-formed ids
    private static final byte MALFORMED_MARKER = (byte) 0xFF;

    private ElasticsearchIds() {}

    /** The {@code _id} to send for the converter's {@code id}. */
    public static String of(String id) {
        if (id.startsWith(HASH_PREFIX)) {
            return hash(id);
        }
        int bytes = 0;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < id.length()
                    && Character.isLowSurrogate(id.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                return hash(id);
            } else {
                bytes += 3;
            }
            if (bytes > MAX_BYTES) {
                return hash(id);
            }
        }
        return id;
    }

    /** Whether {@link #of} replaced the id by its hash. */
    public static boolean isHashed(String elasticsearchId) {
        return elasticsearchId.startsWith(HASH_PREFIX);
    }

    private static String hash(String id) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        if (isWellFormed(id)) {
            sha256.update(id.getBytes(StandardCharsets.UTF_8));
        } else {
            sha256.update(MALFORMED_MARKER);
            // code unit by code unit: the charset encoders would replace the lone surrogates
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                sha256.update((byte) (c >>> 8));
                sha256.update((byte) c);
            }
        }
        return HASH_PREFIX
                + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest());
    }

    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
