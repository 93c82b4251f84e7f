package io.echolot.sink.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * A real HTTP receiver on loopback (the JDK's {@link HttpServer}) that records every request and
 * answers as the test scripts it: per path, a function of (how many requests that path had before,
 * the request) to an answer.
 */
final class TestReceiver implements AutoCloseable {

    /** One request as received. */
    record Request(
            String path, Map<String, List<String>> headers, byte[] body, long receivedAtMillis) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /**
     * How to answer; {@code delayMillis} before answering, {@code -1} status drops the connection.
     */
    record Answer(int status, Map<String, String> headers, String body, long delayMillis) {
        static Answer of(int status) {
            return new Answer(status, Map.of(), "", 0);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final BiFunction<Integer, Request, Answer> script;

    TestReceiver(int port, BiFunction<Integer, Request, Answer> script) throws IOException {
        this.script = script;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static TestReceiver answering(int status) throws IOException {
        return new TestReceiver(0, (n, r) -> Answer.of(status));
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    List<Request> requests(String path) {
        List<Request> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.path().equals(path)) {
                out.add(r);
            }
        }
        return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            Request request =
                    new Request(
                            path,
                            Map.copyOf(exchange.getRequestHeaders()),
                            body,
                            System.currentTimeMillis());
            int before = requests(path).size();
            requests.add(request);
            Answer answer = script.apply(before, request);
            if (answer.delayMillis() > 0) {
                try {
                    Thread.sleep(answer.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
