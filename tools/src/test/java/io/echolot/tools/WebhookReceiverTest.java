package io.echolot.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.json.Json;
import io.echolot.sink.webhook.Delivery;
import io.echolot.sink.webhook.WebhookSignature;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WebhookReceiverTest {

    private static final String SECRET = "receiver-secret-0123456789";
    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void logsASignedDeliveryWithItsLatencyAndRejectsForgedOrStaleOnes() throws Exception {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(lines, true, StandardCharsets.UTF_8);
        try (WebhookReceiver receiver =
                new WebhookReceiver(
                        "127.0.0.1",
                        0,
                        SECRET,
                        Duration.ofMinutes(5),
                        out,
                        Clock.fixed(NOW, ZoneOffset.UTC))) {
            byte[] body = "{\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8);
            long ts = NOW.getEpochSecond();
            String url = "http://127.0.0.1:" + receiver.port() + "/echolot";

            int ok =
                    post(
                            url,
                            body,
                            ts,
                            WebhookSignature.sign(SECRET, ts, body),
                            NOW.toEpochMilli() - 1234);
            int again =
                    post(
                            url,
                            body,
                            ts,
                            WebhookSignature.sign(SECRET, ts, body),
                            NOW.toEpochMilli() - 1234);
            int forged =
                    post(
                            url,
                            body,
                            ts,
                            WebhookSignature.sign("not-the-secret-at-all", ts, body),
                            NOW.toEpochMilli());
            int stale =
                    post(
                            url,
                            body,
                            ts - 600,
                            WebhookSignature.sign(SECRET, ts - 600, body),
                            NOW.toEpochMilli());

            assertThat(ok).isEqualTo(204);
            assertThat(again).isEqualTo(204);
            assertThat(forged).isEqualTo(401);
            assertThat(stale).isEqualTo(401);
        }
        String[] logged = lines.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(logged).hasSize(4);
        JsonNode first = Json.mapper().readTree(logged[0]);
        assertThat(first.get("signature").asText()).isEqualTo("ok");
        assertThat(first.get("alert_id").asText()).isEqualTo("a");
        assertThat(first.get("idempotency_key").asText())
                .isEqualTo(Delivery.idempotencyKey("a", 1));
        assertThat(first.get("latency_ms").asLong()).isEqualTo(1234);
        assertThat(first.get("duplicate").asBoolean()).isFalse();
        assertThat(Json.mapper().readTree(logged[1]).get("duplicate").asBoolean()).isTrue();
        assertThat(Json.mapper().readTree(logged[2]).get("signature").asText())
                .isEqualTo("bad_signature");
        assertThat(Json.mapper().readTree(logged[3]).get("signature").asText())
                .isEqualTo("stale_timestamp");
    }

    @Test
    void decodesThePercentEncodedAlertIdAndChecksTheKeyAgainstTheDocument() throws Exception {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(lines, true, StandardCharsets.UTF_8);
        String id = "adverse-😡線€-m-1 +%";
        byte[] body =
                ("{\"schema_version\":1,\"id\":\""
                                + id
                                + "\",\"version\":2,"
                                + "\"type\":\"adverse_event\",\"brand\":\"b\",\"topic\":\"all\","
                                + "\"state\":\"open\",\"window_end\":\"2026-11-23T10:01:00Z\","
                                + "\"resolved_at\":null}")
                        .getBytes(StandardCharsets.UTF_8);
        try (WebhookReceiver receiver =
                new WebhookReceiver(
                        "127.0.0.1",
                        0,
                        SECRET,
                        Duration.ofMinutes(5),
                        out,
                        Clock.fixed(NOW, ZoneOffset.UTC))) {
            String url = "http://127.0.0.1:" + receiver.port() + "/echolot";
            long ts = NOW.getEpochSecond();
            String signature = WebhookSignature.sign(SECRET, ts, body);
            String encodedId = "adverse-%F0%9F%98%A1%E7%B7%9A%E2%82%AC-m-1%20+%25";
            for (String key : new String[] {Delivery.idempotencyKey(id, 2), "a-forged-key"}) {
                HttpRequest request =
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Idempotency-Key", key)
                                .header("X-Echolot-Alert-Id", encodedId)
                                .header("X-Echolot-Alert-Version", "2")
                                .header(WebhookSignature.HEADER_TIMESTAMP, Long.toString(ts))
                                .header(WebhookSignature.HEADER_SIGNATURE, signature)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build();
                assertThat(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode())
                        .isEqualTo(204);
            }
        }
        String[] logged = lines.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(logged).hasSize(2);
        JsonNode first = Json.mapper().readTree(logged[0]);
        assertThat(first.get("alert_id").asText()).isEqualTo(id);
        assertThat(first.get("type").asText()).isEqualTo("adverse_event");
        // the alert's event times, for the latency after the watermark passed them
        assertThat(first.get("window_end").asText()).isEqualTo("2026-11-23T10:01:00Z");
        assertThat(first.get("resolved_at").isNull()).isTrue();
        assertThat(first.get("key_matches").asBoolean()).isTrue();
        assertThat(Json.mapper().readTree(logged[1]).get("key_matches").asBoolean()).isFalse();
        assertThat(WebhookReceiver.percentDecode("a%2x%zz%")).isEqualTo("a%2x%zz%");
    }

    private int post(String url, byte[] body, long ts, String signature, long emittedAt)
            throws Exception {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url))
                        .header("Idempotency-Key", Delivery.idempotencyKey("a", 1))
                        .header("X-Echolot-Alert-Id", "a")
                        .header("X-Echolot-Alert-Version", "1")
                        .header("X-Echolot-Emitted-At", Long.toString(emittedAt))
                        .header(WebhookSignature.HEADER_TIMESTAMP, Long.toString(ts))
                        .header(WebhookSignature.HEADER_SIGNATURE, signature)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
