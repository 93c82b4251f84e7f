package io.echolot.sink.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real HTTP server on loopback in front of the real Elasticsearch that misbehaves on purpose: it
 * can answer whole bulk requests with 503 or 429, answer bulk items with 429 or 503 (forwarding the
 * rest), for a number of bulks or for a while, or refuse every request with 401. It counts how
 * often each document id was sent, and logs every request with the status it was answered with.
 */
final class ElasticsearchProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String target;

    private final AtomicInteger wholeBulkFailuresLeft = new AtomicInteger();
    private final AtomicInteger rejectAllItemsBulksLeft = new AtomicInteger();
    private volatile Predicate<String> alwaysRejectedIds = id -> false;
    private volatile long rejectItemsUntilNanos;
    private volatile int rejectItemsStatus;
    private volatile long failWholeBulksUntilNanos;
    private volatile int failWholeBulksStatus;
    private volatile boolean unauthorized;

    private final AtomicInteger bulkRequests = new AtomicInteger();
    private final Map<String, AtomicInteger> sendsById = new ConcurrentHashMap<>();
    private final Queue<Exchange> exchanges = new ConcurrentLinkedQueue<>();

    /** One request as the proxy saw it: method, path without query, query, answered status. */
    record Exchange(String method, String path, String query, int status) {}

    private ElasticsearchProxy(String target) throws IOException {
        this.target = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A proxy in front of the Elasticsearch at {@code targetUrl}. */
    static ElasticsearchProxy start(String targetUrl) throws IOException {
        return new ElasticsearchProxy(targetUrl);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next {@code n} bulk requests fail as a whole with 503. */
    ElasticsearchProxy failWholeBulks(int n) {
        wholeBulkFailuresLeft.set(n);
        return this;
    }

    /** In the next {@code n} bulk requests, every item is answered with 429. */
    ElasticsearchProxy rejectAllItemsOfBulks(int n) {
        rejectAllItemsBulksLeft.set(n);
        return this;
    }

    /**
     * For {@code duration} from now, every bulk item is answered with {@code status} (429 or 503),
     * as an overloaded cluster answers.
     */
    ElasticsearchProxy rejectAllItemsFor(Duration duration, int status) {
        rejectItemsStatus = status;
        rejectItemsUntilNanos = System.nanoTime() + duration.toNanos();
        return this;
    }

    /** For {@code duration} from now, every bulk request fails as a whole with {@code status}. */
    ElasticsearchProxy failWholeBulksFor(Duration duration, int status) {
        failWholeBulksStatus = status;
        failWholeBulksUntilNanos = System.nanoTime() + duration.toNanos();
        return this;
    }

    /** Items whose id matches are always answered with 429. */
    ElasticsearchProxy alwaysReject(Predicate<String> ids) {
        alwaysRejectedIds = ids;
        return this;
    }

    /** Every request is answered with 401, as a cluster with other credentials would. */
    ElasticsearchProxy unauthorized() {
        unauthorized = true;
        return this;
    }

    int bulkRequests() {
        return bulkRequests.get();
    }

    /** How many bulk requests carried the document {@code id}. */
    int sends(String id) {
        AtomicInteger n = sendsById.get(id);
        return n == null ? 0 : n.get();
    }

    Map<String, AtomicInteger> sendsById() {
        return sendsById;
    }

    /** How many requests with {@code method} to {@code path} were answered with {@code status}. */
    long answered(String method, String path, int status) {
        return exchanges.stream()
                .filter(e -> e.method.equals(method) && e.path.equals(path) && e.status == status)
                .count();
    }

    /** How many requests with {@code method} went to {@code path}, whatever the answer. */
    long requests(String method, String path) {
        return exchanges.stream()
                .filter(e -> e.method.equals(method) && e.path.equals(path))
                .count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            if (unauthorized) {
                respond(
                        exchange,
                        401,
                        "{\"error\":{\"type\":\"security_exception\",\"reason\":\"unable to"
                                + " authenticate user [echolot] for REST request ["
                                + path
                                + "]\"},\"status\":401}");
                return;
            }
            if ("POST".equals(exchange.getRequestMethod()) && path.endsWith("/_bulk")) {
                handleBulk(exchange, body);
            } else {
                forward(exchange, body);
            }
        } catch (Exception e) {
            respond(exchange, 500, "{\"error\":\"test proxy: " + e + "\",\"status\":500}");
        }
    }

    private void handleBulk(HttpExchange exchange, byte[] body) throws Exception {
        bulkRequests.incrementAndGet();
        List<Action> actions = parseBulk(body);
        for (Action action : actions) {
            sendsById.computeIfAbsent(action.id, id -> new AtomicInteger()).incrementAndGet();
        }
        boolean failTimed = System.nanoTime() - failWholeBulksUntilNanos < 0;
        if (failTimed && failWholeBulksStatus == 429) {
            respond(
                    exchange,
                    429,
                    "{\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"test"
                            + " proxy: rejected execution of bulk\"},\"status\":429}");
            return;
        }
        if (failTimed || takeOne(wholeBulkFailuresLeft)) {
            respond(
                    exchange,
                    503,
                    "{\"error\":{\"type\":\"unavailable_shards_exception\",\"reason\":\"test"
                            + " proxy: cluster unavailable\"},\"status\":503}");
            return;
        }
        boolean rejectTimed = System.nanoTime() - rejectItemsUntilNanos < 0;
        int itemStatus = rejectTimed ? rejectItemsStatus : 429;
        boolean rejectAll = rejectTimed || takeOne(rejectAllItemsBulksLeft);
        ByteArrayOutputStream forwarded = new ByteArrayOutputStream();
        for (Action action : actions) {
            action.rejected = rejectAll || alwaysRejectedIds.test(action.id);
            if (!action.rejected) {
                action.lines.forEach(line -> forwarded.writeBytes(line));
            }
        }
        Iterator<JsonNode> esItems = List.<JsonNode>of().iterator();
        if (forwarded.size() > 0) {
            HttpResponse<byte[]> response =
                    send(exchange, exchange.getRequestURI().toString(), forwarded.toByteArray());
            if (response.statusCode() != 200) {
                respond(
                        exchange,
                        response.statusCode(),
                        new String(response.body(), StandardCharsets.UTF_8));
                return;
            }
            esItems = JSON.readTree(response.body()).get("items").elements();
        }
        ObjectNode merged = JSON.createObjectNode();
        merged.put("took", 1);
        ArrayNode items = merged.putArray("items");
        boolean errors = false;
        for (Action action : actions) {
            if (action.rejected) {
                ObjectNode item = items.addObject().putObject(action.op);
                item.put("_index", action.index).put("_id", action.id).put("status", itemStatus);
                item.putObject("error")
                        .put(
                                "type",
                                itemStatus == 503
                                        ? "unavailable_shards_exception"
                                        : "es_rejected_execution_exception")
                        .put("reason", "test proxy: rejected execution of bulk item");
                errors = true;
            } else {
                JsonNode item = esItems.next();
                errors |= item.elements().next().has("error");
                items.add(item);
            }
        }
        merged.put("errors", errors);
        respond(exchange, 200, JSON.writeValueAsString(merged));
    }

    private void forward(HttpExchange exchange, byte[] body) throws Exception {
        HttpResponse<byte[]> response = send(exchange, exchange.getRequestURI().toString(), body);
        respond(
                exchange,
                response.statusCode(),
                new String(response.body(), StandardCharsets.UTF_8));
    }

    private HttpResponse<byte[]> send(HttpExchange exchange, String pathAndQuery, byte[] body)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(target + pathAndQuery))
                        .timeout(Duration.ofSeconds(30))
                        .method(
                                exchange.getRequestMethod(),
                                body.length == 0
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : List.of("Content-Type", "Accept", "Authorization")) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void respond(HttpExchange exchange, int status, String json) throws IOException {
        exchanges.add(
                new Exchange(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath(),
                        exchange.getRequestURI().getRawQuery(),
                        status));
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        // the Java client refuses answers without it
        exchange.getResponseHeaders().set("X-Elastic-Product", "Elasticsearch");
        if (status == 401) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"security\"");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static boolean takeOne(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    /** Splits NDJSON into actions: an action line, plus a source line unless it is a delete. */
    private static List<Action> parseBulk(byte[] body) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\n') {
                byte[] line = new byte[i - start + 1];
                System.arraycopy(body, start, line, 0, line.length);
                lines.add(line);
                start = i + 1;
            }
        }
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            JsonNode actionLine = JSON.readTree(lines.get(i));
            String op = actionLine.fieldNames().next();
            JsonNode meta = actionLine.get(op);
            Action action = new Action(op, meta.path("_index").asText(), meta.path("_id").asText());
            action.lines.add(lines.get(i));
            if (!op.equals("delete")) {
                action.lines.add(lines.get(++i));
            }
            actions.add(action);
        }
        return actions;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static final class Action {
        final String op;
        final String index;
        final String id;
        final List<byte[]> lines = new ArrayList<>();
        boolean rejected;

        Action(String op, String index, String id) {
            this.op = op;
            this.index = index;
            this.id = id;
        }
    }
}
