package io.echolot.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.echolot.serde.Json;
import io.echolot.sink.webhook.WebhookSignature;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A small webhook receiver on the JDK's {@link HttpServer}: verifies each request's {@link
 * WebhookSignature} (rejecting stale timestamps), answers 204 or 401, and writes one JSON line per
 * request: {@code received_at}, {@code path}, {@code alert_id}, {@code version}, {@code
 * idempotency_key}, {@code attempt}, {@code signature} (ok, missing, bad_signature,
 * stale_timestamp), {@code status}, {@code duplicate} (key seen before on this path), {@code
 * latency_ms} = receive time − {@code X-Echolot-Emitted-At}, and for alert documents their {@code
 * type}, {@code brand}, {@code topic} and {@code state}.
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
            line.put("alert_id", h.getFirst("X-Echolot-Alert-Id"));
            line.put("version", h.getFirst("X-Echolot-Alert-Version"));
            line.put("idempotency_key", key);
            line.put("attempt", h.getFirst("X-Echolot-Attempt"));
            line.put("signature", verdict.name().toLowerCase(java.util.Locale.ROOT));
            line.put("status", status);
            line.put("duplicate", key != null && status == 204 && !seen.add(path + " " + key));
            line.put("bytes", body.length);
            describeAlert(body, line);
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
            synchronized (out) {
                out.println(line);
                out.flush();
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    /** Type, brand, topic and state when the body is an alert document (format json). */
    private static void describeAlert(byte[] body, ObjectNode line) {
        try {
            var doc = Json.mapper().readTree(body);
            if (doc != null && doc.has("schema_version") && doc.has("type")) {
                for (String f : new String[] {"type", "brand", "topic", "state"}) {
                    line.put(f, doc.path(f).asText(null));
                }
            }
        } catch (IOException e) {
            // not JSON: nothing to describe
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
