package io.echolot.sink.webhook;

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
 */
public record Delivery(
        String endpoint,
        String alertId,
        int version,
        long emittedAtMillis,
        int attempts,
        byte[] body,
        byte[] alertJson) {

    /** {@code <alert id>:<version>}: the same for every send of this alert state to anyone. */
    public String idempotencyKey() {
        return idempotencyKey(alertId, version);
    }

    public static String idempotencyKey(String alertId, int version) {
        return alertId + ":" + version;
    }

    public Delivery nextAttempt() {
        return new Delivery(
                endpoint, alertId, version, emittedAtMillis, attempts + 1, body, alertJson);
    }
}
