package io.echolot.sink.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of a real receiver that plays a receiver outage: {@link
 * Mode#REFUSE} closes the listening socket (connections are refused by the kernel), {@link
 * Mode#ANSWER_503} answers every request itself with 503 and {@code Retry-After: 1}, {@link
 * Mode#PASS} forwards the bytes both ways. The mode is chosen per connection when it is accepted;
 * 503 answers close the connection, so no connection outlives an outage.
 */
final class FaultInjector implements AutoCloseable {

    enum Mode {
        REFUSE,
        ANSWER_503,
        PASS
    }

    private final int port;
    private final int targetPort;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger answered503 = new AtomicInteger();
    private final Set<String> keys503 = ConcurrentHashMap.newKeySet();
    private final Map<String, String> emittedAt503 = new ConcurrentHashMap<>();
    private volatile Mode mode;
    private ServerSocket listener;

    FaultInjector(int targetPort, Mode initial) throws IOException {
        this.targetPort = targetPort;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        }
        set(initial);
    }

    int port() {
        return port;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Requests answered with 503 so far. */
    int answered503() {
        return answered503.get();
    }

    /** Idempotency keys of the requests answered with 503. */
    Set<String> keys503() {
        return keys503;
    }

    /** {@code X-Echolot-Emitted-At} of the first request answered with 503, per key. */
    Map<String, String> emittedAt503() {
        return emittedAt503;
    }

    synchronized void set(Mode next) throws IOException {
        mode = next;
        if (next == Mode.REFUSE) {
            if (listener != null) {
                listener.close();
                listener = null;
            }
            return;
        }
        if (listener == null) {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            listener = s;
            threads.execute(() -> accept(s));
        }
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Mode m = mode;
                threads.execute(() -> handle(client, m));
            } catch (IOException e) {
                return; // closed: the outage begins, or the test ends
            }
        }
    }

    private void handle(Socket client, Mode m) {
        try (client) {
            if (m == Mode.PASS) {
                try (Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
                    threads.execute(() -> copy(target, client));
                    copy(client, target);
                }
            } else {
                answer503(client);
            }
        } catch (IOException e) {
            // the client or the receiver went away: so does the connection
        }
    }

    private void answer503(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        int length = 0;
        String key = null;
        String emittedAt = null;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "content-length" -> length = Integer.parseInt(value);
                case "idempotency-key" -> key = value;
                case "x-echolot-emitted-at" -> emittedAt = value;
                default -> {}
            }
        }
        in.readNBytes(length);
        OutputStream out = client.getOutputStream();
        out.write(
                ("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\n"
                                + "Connection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        if (key != null) {
            if (emittedAt != null) {
                emittedAt503.putIfAbsent(key, emittedAt);
            }
            keys503.add(key);
        }
        answered503.incrementAndGet();
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // one side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (listener != null) {
            listener.close();
            listener = null;
        }
        threads.shutdownNow();
    }
}
