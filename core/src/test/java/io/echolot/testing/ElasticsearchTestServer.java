package io.echolot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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
    private static final Pattern VALID_PREFIX = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private static final HttpClient HTTP = HttpClient.newHttpClient();

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
        int port =
                StackScripts.startOnFreePorts(
                        "Elasticsearch",
                        SCRIPT,
                        "--transport-port",
                        dir,
                        runDir.resolve("elasticsearch-start.log"),
                        SCRIPT_TIMEOUT,
                        dir.resolve("logs"));
        return new ElasticsearchTestServer("http://127.0.0.1:" + port, "127.0.0.1", port, dir);
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

    /**
     * Sends a JSON request (e.g. POST to {@code /_cluster/health}) and returns the parsed answer.
     */
    public JsonNode request(String method, String path, String body) {
        try {
            HttpRequest req =
                    HttpRequest.newBuilder(URI.create(url + path))
                            .header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofString(body))
                            .build();
            HttpResponse<String> resp = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            return Json.mapper().readTree(resp.body());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        }
    }

    /** The number of documents in {@code indices} that match {@code query} (-1 if none exist). */
    public long count(String indices, String query) {
        return request("POST", "/" + indices + "/_count", "{\"query\":" + query + "}")
                .path("count")
                .asLong(-1);
    }

    /** Makes everything indexed so far searchable. */
    public void refresh(String indices) {
        request("POST", "/" + indices + "/_refresh", "");
    }

    @Override
    public String toString() {
        return "ElasticsearchTestServer[" + url + (dir == null ? ", external" : ", " + dir) + "]";
    }
}
