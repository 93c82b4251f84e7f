package io.echolot.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A real Elasticsearch server for the integration tests, on loopback: either started by {@code
 * docker/local/elasticsearch.sh} (see {@link TestServers#elasticsearch()}) or an external one given
 * by the environment variable {@code ECHOLOT_TEST_ELASTICSEARCH_URL}.
 */
public final class ElasticsearchTestServer {

    static final String SCRIPT = "elasticsearch.sh";
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(180);
    private static final int START_ATTEMPTS = 3;
    private static final Pattern VALID_PREFIX = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final String url;
    private final String host;
    private final int port;

    /** The instance directory of a started server; null for an external one. */
    private final Path dir;

    private ElasticsearchTestServer(String url, String host, int port, Path dir) {
        this.url = url;
        this.host = host;
        this.port = port;
        this.dir = dir;
    }

    /** An external server, e.g. {@code http://127.0.0.1:9200}. */
    static ElasticsearchTestServer external(String url) {
        String trimmed = url.strip().replaceAll("/+$", "");
        URI uri = URI.create(trimmed);
        if (uri.getHost() == null || uri.getScheme() == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + url);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return new ElasticsearchTestServer(trimmed, uri.getHost(), port, null);
    }

    /** Starts a server on free ports in {@code <runDir>/elasticsearch}. */
    static ElasticsearchTestServer start(Path runDir) {
        Path dir = runDir.resolve("elasticsearch");
        Path log = runDir.resolve("elasticsearch-start.log");
        StackScripts.Result result = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int[] ports = StackScripts.freePorts();
            long t0 = System.nanoTime();
            result =
                    StackScripts.run(
                            SCRIPT,
                            List.of(
                                    "start",
                                    "--port",
                                    String.valueOf(ports[0]),
                                    "--transport-port",
                                    String.valueOf(ports[1]),
                                    "--dir",
                                    dir.toString(),
                                    "--owner-pid",
                                    String.valueOf(ProcessHandle.current().pid()),
                                    "--timeout",
                                    String.valueOf(SCRIPT_TIMEOUT.toSeconds())),
                            log,
                            SCRIPT_TIMEOUT.plusSeconds(60));
            if (result.ok()) {
                System.out.printf(
                        "[echolot-test-servers] Elasticsearch on http://127.0.0.1:%d, started in %.1f s (%s)%n",
                        ports[0], (System.nanoTime() - t0) / 1e9, dir);
                return new ElasticsearchTestServer(
                        "http://127.0.0.1:" + ports[0], "127.0.0.1", ports[0], dir);
            }
            if (result.exitCode() != StackScripts.EXIT_PORT_TAKEN) {
                break;
            }
        }
        // the script stops what it started when readiness fails; this covers a script timeout
        StackScripts.stop(SCRIPT, dir);
        throw new IllegalStateException(
                "Elasticsearch for the tests did not come up (exit "
                        + result.exitCode()
                        + "; script output in "
                        + log
                        + ", server logs in "
                        + dir.resolve("logs")
                        + "). Last lines:\n"
                        + result.tail());
    }

    void stop() {
        if (dir != null) {
            StackScripts.stop(SCRIPT, dir);
        }
    }

    /** The base URL, e.g. {@code "http://127.0.0.1:41234"} (no trailing slash). */
    public String url() {
        return url;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /**
     * A fresh index name: {@code prefix + "-" + random suffix}, lowercase. The index is not
     * created.
     */
    public String randomIndex(String prefix) {
        String lower = prefix.toLowerCase(Locale.ROOT);
        if (!VALID_PREFIX.matcher(lower).matches()) {
            throw new IllegalArgumentException(
                    "not usable in an index name: '" + prefix + "' (letters, digits, . _ -)");
        }
        return lower + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    @Override
    public String toString() {
        return "ElasticsearchTestServer[" + url + (dir == null ? ", external" : ", " + dir) + "]";
    }
}
