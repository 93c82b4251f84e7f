package io.echolot.sink.webhook;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One alert state on its way to one endpoint: what the sink keeps in checkpoints until the receiver
 * acknowledged it (or it was dead-lettered), so a restart sends it again.
 *
 * @param endpoint the endpoint's name
 * @param emittedAtMillis processing time at which the sink received the alert state; sent as {@code
 *     X-Echolot-Emitted-At}, so receivers can measure the delivery latency
 * @param attempts sends already made (0 before the first)
 * @param body the rendered request body
 * @param alertJson the alert document v1, for the dead-letter topic
 * @param firstAttemptMillis processing time of the first send to this endpoint of this alert state,
 *     or of an older state of the same alert it replaced (0 before the first send); the endpoint's
 *     {@code max_retry_duration} counts from here, across restarts
 */
public record Delivery(
        String endpoint,
        String alertId,
        int version,
        long emittedAtMillis,
        int attempts,
        byte[] body,
        byte[] alertJson,
        long firstAttemptMillis) {

    /** A delivery not sent yet. */
    public Delivery(
            String endpoint,
            String alertId,
            int version,
            long emittedAtMillis,
            int attempts,
            byte[] body,
            byte[] alertJson) {
        this(endpoint, alertId, version, emittedAtMillis, attempts, body, alertJson, 0L);
    }

    /**
     * The lowercase hex SHA-256 of the UTF-8 bytes of {@code <alert id>:<version>}: the same for
     * every send of this alert state to anyone, before and after a restart, and plain ASCII
     * whatever the alert id carries (an HTTP header value must be).
     */
    public String idempotencyKey() {
        return idempotencyKey(alertId, version);
    }

    /**
     * {@link #idempotencyKey()} for an alert state; a null id counts as empty, and an unpaired
     * surrogate in the id as U+FFFD, so every string has exactly one key.
     */
    public static String idempotencyKey(String alertId, int version) {
        String input = (alertId == null ? "" : alertId) + ":" + version;
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(utf8(input)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** UTF-8 with U+FFFD for unpaired surrogates (the JDK's getBytes would write '?'). */
    private static byte[] utf8(String s) {
        CharsetEncoder encoder =
                StandardCharsets.UTF_8
                        .newEncoder()
                        .onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)
                        .replaceWith(new byte[] {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD});
        try {
            ByteBuffer b = encoder.encode(CharBuffer.wrap(s));
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing encoder does not throw", e);
        }
    }

    /** This delivery with one more send counted, made at {@code now} (processing time). */
    public Delivery nextAttempt(long now) {
        return new Delivery(
                endpoint,
                alertId,
                version,
                emittedAtMillis,
                attempts + 1,
                body,
                alertJson,
                firstAttemptMillis == 0 ? now : firstAttemptMillis);
    }

    /** This delivery with its retry clock started at {@code at}. */
    public Delivery withFirstAttempt(long at) {
        return new Delivery(
                endpoint, alertId, version, emittedAtMillis, attempts, body, alertJson, at);
    }
}
