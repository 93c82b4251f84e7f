package io.echolot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Elasticsearch with security on, started by {@code docker/local/elasticsearch.sh start
 * --security} on free loopback ports: HTTPS with a CA generated for it, the superuser {@code
 * elastic} and the least-privilege user the script creates for the job's sink.
 *
 * <p>Unlike {@link ElasticsearchTestServer} it is not shared through {@link TestServers}: each test
 * class that needs one starts its own and closes it, so users, keys and roles it creates do not
 * leak into other tests. The script stops it when this JVM dies without closing it.
 */
public final class SecuredElasticsearchTestServer implements AutoCloseable {

    /** Certificates, keystore and a compiled plugin come before the server itself. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);

    private final Path dir;
    private final Path startLog;
    private final String url;
    private final Path caCertificate;
    private final String user;
    private final Path userPasswordFile;
    private final Path roleFile;
    private final String superuserPassword;
    private final String superuserAuthorization;
    private final HttpClient http;

    private SecuredElasticsearchTestServer(Path dir, Path startLog, Map<String, String> env) {
        this.dir = dir;
        this.startLog = startLog;
        this.url = required(env, "ES_URL");
        this.caCertificate = Path.of(required(env, "ES_CA_CERT"));
        this.user = required(env, "ES_USER");
        this.userPasswordFile = Path.of(required(env, "ES_USER_PASSWORD_FILE"));
        this.roleFile = Path.of(required(env, "ES_ROLE_FILE"));
        String superuser = required(env, "ES_SUPERUSER");
        this.superuserPassword = readSecret(Path.of(required(env, "ES_SUPERUSER_PASSWORD_FILE")));
        this.superuserAuthorization =
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        (superuser + ":" + superuserPassword)
                                                .getBytes(StandardCharsets.UTF_8));
        this.http =
                HttpClient.newBuilder()
                        .sslContext(trusting(caCertificate))
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
    }

    /** Starts a server in a directory of its own under this JVM's run directory. */
    public static SecuredElasticsearchTestServer start() {
        Path runDir = StackScripts.runDir();
        String name = "elasticsearch-secured-" + System.nanoTime();
        Path dir = runDir.resolve(name);
        Path log = runDir.resolve(name + "-start.log");
        StackScripts.startOnFreePorts(
                "Elasticsearch with security",
                ElasticsearchTestServer.SCRIPT,
                "--transport-port",
                dir,
                log,
                START_TIMEOUT,
                dir.resolve("logs"),
                List.of("--security"));
        try {
            return new SecuredElasticsearchTestServer(
                    dir, log, readEnv(dir.resolve("security.env")));
        } catch (RuntimeException e) {
            StackScripts.stop(ElasticsearchTestServer.SCRIPT, dir);
            throw e;
        }
    }

    /** The HTTPS base URL, e.g. {@code https://127.0.0.1:41234}. */
    public String url() {
        return url;
    }

    /** The PEM file of the CA that signed the server's certificate. */
    public Path caCertificate() {
        return caCertificate;
    }

    /** The user with only the privileges of the job's sink. */
    public String user() {
        return user;
    }

    /** The file holding {@link #user()}'s password. */
    public Path userPasswordFile() {
        return userPasswordFile;
    }

    /** The role (cluster and index privileges) of {@link #user()}, as JSON. */
    public String roleJson() {
        try {
            return Files.readString(roleFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory of the server's own logs. */
    public Path logDir() {
        return dir.resolve("logs");
    }

    /** What the start script printed. */
    public Path startLog() {
        return startLog;
    }

    /** The superuser's password, so a test can look for it where it must not be. */
    public String superuserPassword() {
        return superuserPassword;
    }

    /** An answer of the server: its HTTP status and JSON body. */
    public record Response(int status, JsonNode body) {}

    /** Sends a JSON request as the superuser. */
    public Response request(String method, String path, String body) {
        try {
            HttpRequest request =
                    HttpRequest.newBuilder(URI.create(url + path))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", superuserAuthorization)
                            .header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofString(body))
                            .build();
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), Json.mapper().readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " interrupted", e);
        }
    }

    /** The number of documents in {@code indices} after a refresh (-1 if none exist). */
    public long count(String indices) {
        request("POST", "/" + indices + "/_refresh", "");
        return request("POST", "/" + indices + "/_count", "{}").body().path("count").asLong(-1);
    }

    @Override
    public void close() {
        StackScripts.stop(ElasticsearchTestServer.SCRIPT, dir);
    }

    @Override
    public String toString() {
        return "SecuredElasticsearchTestServer[" + url + ", " + dir + "]";
    }

    /** The file's content without the line end, as the job's secret files are read. */
    public static String readSecret(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> readEnv(Path file) {
        Map<String, String> env = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the start script wrote no " + file, e);
        }
        return env;
    }

    private static String required(Map<String, String> env, String key) {
        String value = env.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("security.env has no " + key + ": " + env.keySet());
        }
        return value;
    }

    private static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
            trustStore.load(null, null);
            int n = 0;
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trustStore.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + pem + ": " + e, e);
        }
    }
}
