package io.echolot.sink.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook request: {@code X-Echolot-Timestamp} carries the send time in Unix
 * seconds, and {@code X-Echolot-Signature} is {@code v1=} followed by the lower-case hex
 * HMAC-SHA256, keyed with the endpoint's secret, of {@code <timestamp> + "." + <raw body bytes>}. A
 * receiver recomputes it over the bytes it received, compares in constant time, and rejects
 * timestamps older than a tolerance (5 minutes by default) so a captured request cannot be replayed
 * later.
 */
public final class WebhookSignature {

    public static final String HEADER_SIGNATURE = "X-Echolot-Signature";
    public static final String HEADER_TIMESTAMP = "X-Echolot-Timestamp";
    public static final String SCHEME = "v1=";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private WebhookSignature() {}

    /** {@code v1=<hex>} for the body sent at {@code timestampSeconds}. */
    public static String sign(String secret, long timestampSeconds, byte[] body) {
        return SCHEME + HexFormat.of().formatHex(mac(secret, timestampSeconds, body));
    }

    /** The outcome of checking a received request. */
    public enum Verdict {
        OK,
        MISSING,
        BAD_SIGNATURE,
        STALE_TIMESTAMP
    }

    /**
     * Checks a received request.
     *
     * @param signatureHeader the {@code X-Echolot-Signature} value, may be null
     * @param timestampHeader the {@code X-Echolot-Timestamp} value, may be null
     */
    public static Verdict verify(
            String secret,
            String signatureHeader,
            String timestampHeader,
            byte[] body,
            Instant now,
            Duration tolerance) {
        if (signatureHeader == null || timestampHeader == null) {
            return Verdict.MISSING;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.strip());
        } catch (NumberFormatException e) {
            return Verdict.MISSING;
        }
        String given = signatureHeader.strip();
        if (!given.startsWith(SCHEME)) {
            return Verdict.BAD_SIGNATURE;
        }
        byte[] expected = mac(secret, timestamp, body);
        byte[] actual;
        try {
            actual = HexFormat.of().parseHex(given.substring(SCHEME.length()));
        } catch (IllegalArgumentException e) {
            return Verdict.BAD_SIGNATURE;
        }
        // the timestamp is only trusted once the signature proves it was not changed
        if (!MessageDigest.isEqual(expected, actual)) {
            return Verdict.BAD_SIGNATURE;
        }
        long age = now.getEpochSecond() - timestamp;
        return Math.abs(age) > tolerance.toSeconds() ? Verdict.STALE_TIMESTAMP : Verdict.OK;
    }

    private static byte[] mac(String secret, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
