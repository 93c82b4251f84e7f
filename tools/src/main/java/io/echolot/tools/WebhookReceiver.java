package io.echolot.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.echolot.json.Json;
import io.echolot.sink.webhook.Delivery;
import io.echolot.sink.webhook.WebhookSignature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A small webhook receiver on the JDK's {@link HttpServer}: verifies each request's {@link
 * WebhookSignature} (rejecting stale timestamps), answers 204 or 401, and writes one JSON line per
 * request: {@code received_at}, {@code path}, {@code alert_id} (the {@code X-Echolot-Alert-Id}
 * header, percent-decoded), {@code version}, {@code idempotency_key}, {@code attempt}, {@code
 * signature} (ok, missing, bad_signature, stale_timestamp), {@code status}, {@code duplicate} (key
 * seen before on this path), for alert documents their {@code type}, {@code brand}, {@code topic},
 * {@code state}, {@code window_end} and {@code resolved_at} (for the latency after event time
 * passed them), {@code latency_ms} = receive time − {@code X-Echolot-Emitted-At}, and for alert
 * documents {@code key_matches}: whether the idempotency key is the one of the document's id and
 * version ({@link Delivery#idempotencyKey(String, int)}).
 */
final class WebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final String secret;
    private final Duration tolerance;
    private final PrintStream out;
    private final Clock clock;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    WebhookReceiver(
            String host, int port, String secret, Duration tolerance, PrintStream out, Clock clock)
            throws IOException {
        this.secret = secret;
        this.tolerance = tolerance;
        this.out = out;
        this.clock = clock;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 50);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Instant now = clock.instant();
            var h = exchange.getRequestHeaders();
            WebhookSignature.Verdict verdict =
                    WebhookSignature.verify(
                            secret,
                            h.getFirst(WebhookSignature.HEADER_SIGNATURE),
                            h.getFirst(WebhookSignature.HEADER_TIMESTAMP),
                            body,
                            now,
                            tolerance);
            int status =
                    !exchange.getRequestMethod().equals("POST")
                            ? 405
                            : verdict == WebhookSignature.Verdict.OK ? 204 : 401;
            String key = h.getFirst("Idempotency-Key");
            String path = exchange.getRequestURI().getPath();
            ObjectNode line = Json.mapper().createObjectNode();
            line.put("received_at", now.toString());
            line.put("path", path);
            line.put("alert_id", percentDecode(h.getFirst("X-Echolot-Alert-Id")));
            line.put("version", h.getFirst("X-Echolot-Alert-Version"));
            line.put("idempotency_key", key);
            line.put("attempt", h.getFirst("X-Echolot-Attempt"));
            line.put("signature", verdict.name().toLowerCase(java.util.Locale.ROOT));
            line.put("status", status);
            line.put("duplicate", key != null && status == 204 && !seen.add(path + " " + key));
            line.put("bytes", body.length);
            JsonNode doc = alertDocument(body);
            if (doc != null) {
                for (String f :
                        new String[] {
                            "type", "brand", "topic", "state", "window_end", "resolved_at"
                        }) {
                    line.put(f, doc.path(f).asText(null));
                }
            }
            String emitted = h.getFirst("X-Echolot-Emitted-At");
            if (emitted != null) {
                try {
                    line.put("latency_ms", now.toEpochMilli() - Long.parseLong(emitted.strip()));
                } catch (NumberFormatException e) {
                    line.putNull("latency_ms");
                }
            } else {
                line.putNull("latency_ms");
            }
            if (doc != null) {
                line.put(
                        "key_matches",
                        Delivery.idempotencyKey(
                                        doc.path("id").asText(), doc.path("version").asInt())
                                .equals(key));
            }
            synchronized (out) {
                out.println(line);
                out.flush();
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    /** The body when it is an alert document (format json), else null. */
    private static JsonNode alertDocument(byte[] body) {
        try {
            JsonNode doc = Json.mapper().readTree(body);
            return doc != null && doc.has("schema_version") && doc.has("type") ? doc : null;
        } catch (IOException e) {
            return null; // not JSON
        }
    }

    /**
     * Undoes the sink's percent-encoding of a header value ({@code %XX} are UTF-8 bytes; unlike
     * form decoding, {@code +} stays a plus); a {@code %} without two hex digits stays as it is.
     */
    static String percentDecode(String value) {
        if (value == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%'
                    && i + 2 < value.length()
                    && hex(value.charAt(i + 1)) >= 0
                    && hex(value.charAt(i + 2)) >= 0) {
                bytes.write(hex(value.charAt(i + 1)) * 16 + hex(value.charAt(i + 2)));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char c) {
        return c < 128 ? Character.digit(c, 16) : -1;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
