package io.echolot.sink.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * Where and how to reach Elasticsearch: hosts, credentials, TLS trust and timeouts.
 *
 * <p>Only plain values travel with the job graph, and no secret: the password or API key is given
 * as a {@link SecretSource} (an environment variable or a file) and read on the TaskManager when
 * the HTTP client is built ({@link #createRestClient()}). So the serialised job graph, which Flink
 * ships to the JobManager and keeps in its blob store, never holds it, and the config can be
 * logged.
 */
public final class ElasticsearchConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private final List<String> hosts;
    private final String username;
    private final SecretSource password;
    private final SecretSource apiKey;
    private final String caCertificatePath;
    private final boolean insecureTrustAllCertificates;
    private final long connectTimeoutMs;
    private final long socketTimeoutMs;

    private ElasticsearchConfig(Builder b) {
        this.hosts = List.copyOf(b.hosts);
        this.username = b.username;
        this.password = b.password;
        this.apiKey = b.apiKey;
        this.caCertificatePath = b.caCertificatePath;
        this.insecureTrustAllCertificates = b.insecureTrustAllCertificates;
        this.connectTimeoutMs = b.connectTimeout.toMillis();
        this.socketTimeoutMs = b.socketTimeout.toMillis();
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> hosts() {
        return hosts;
    }

    public Duration connectTimeout() {
        return Duration.ofMillis(connectTimeoutMs);
    }

    public Duration socketTimeout() {
        return Duration.ofMillis(socketTimeoutMs);
    }

    /** The client the sink uses: requests run on the HTTP client's I/O threads. */
    public ElasticsearchAsyncClient createAsyncClient() {
        return new ElasticsearchAsyncClient(createTransport());
    }

    /** A blocking client over the same settings, for tools and tests. */
    public ElasticsearchClient createClient() {
        return new ElasticsearchClient(createTransport());
    }

    private RestClientTransport createTransport() {
        // closing the transport (and so the client) closes the RestClient and its I/O threads
        return new RestClientTransport(createRestClient(), new JacksonJsonpMapper());
    }

    /** The low-level client with auth, TLS and timeouts applied. */
    public RestClient createRestClient() {
        HttpHost[] httpHosts = hosts.stream().map(HttpHost::create).toArray(HttpHost[]::new);
        RestClientBuilder builder = RestClient.builder(httpHosts);
        if (apiKey != null) {
            builder.setDefaultHeaders(
                    new Header[] {
                        new BasicHeader("Authorization", "ApiKey " + readSecret(apiKey))
                    });
        }
        String passwordValue = username != null ? readSecret(password) : null;
        SSLContext sslContext = sslContext();
        builder.setHttpClientConfigCallback(
                http -> {
                    if (username != null) {
                        BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                        credentials.setCredentials(
                                AuthScope.ANY,
                                new UsernamePasswordCredentials(username, passwordValue));
                        http.setDefaultCredentialsProvider(credentials);
                    }
                    if (sslContext != null) {
                        http.setSSLContext(sslContext);
                    }
                    if (insecureTrustAllCertificates) {
                        http.setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE);
                    }
                    return http;
                });
        builder.setRequestConfigCallback(
                request ->
                        request.setConnectTimeout((int) connectTimeoutMs)
                                .setSocketTimeout((int) socketTimeoutMs));
        return builder.build();
    }

    private static String readSecret(SecretSource source) {
        try {
            return source.read();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(
                    "cannot read the Elasticsearch credentials: " + e.getMessage(), e);
        }
    }

    /** {@code null} means the JVM's default trust store. */
    private SSLContext sslContext() {
        try {
            if (insecureTrustAllCertificates) {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustAllManager()}, new SecureRandom());
                return context;
            }
            if (caCertificatePath == null) {
                return null;
            }
            KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
            trustStore.load(null, null);
            int n = 0;
            for (Certificate certificate : readCertificates(Path.of(caCertificatePath))) {
                trustStore.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not set up TLS for Elasticsearch: " + e, e);
        }
    }

    private static Collection<? extends Certificate> readCertificates(Path pem) {
        if (!Files.isReadable(pem)) {
            throw new IllegalArgumentException(
                    "es CA certificate file " + pem + " does not exist or is not readable");
        }
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("no PEM certificate found in " + pem);
            }
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read es CA certificate " + pem, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "es CA certificate " + pem + " is not a PEM X.509 certificate: " + e, e);
        }
    }

    /** Secrets are shown as {@code ***}; the rest is what an operator needs to debug a setup. */
    @Override
    public String toString() {
        String auth =
                username != null
                        ? "basic(user=" + username + ", password from " + password + ")"
                        : apiKey != null ? "apiKey(from " + apiKey + ")" : "none";
        String tls =
                insecureTrustAllCertificates
                        ? "INSECURE(no certificate verification)"
                        : caCertificatePath != null ? "ca=" + caCertificatePath : "default";
        return "ElasticsearchConfig{hosts="
                + hosts
                + ", auth="
                + auth
                + ", tls="
                + tls
                + ", connectTimeout="
                + connectTimeoutMs
                + "ms, socketTimeout="
                + socketTimeoutMs
                + "ms}";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ElasticsearchConfig)) {
            return false;
        }
        ElasticsearchConfig that = (ElasticsearchConfig) o;
        return hosts.equals(that.hosts)
                && Objects.equals(username, that.username)
                && Objects.equals(password, that.password)
                && Objects.equals(apiKey, that.apiKey)
                && Objects.equals(caCertificatePath, that.caCertificatePath)
                && insecureTrustAllCertificates == that.insecureTrustAllCertificates
                && connectTimeoutMs == that.connectTimeoutMs
                && socketTimeoutMs == that.socketTimeoutMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(hosts, username, apiKey, caCertificatePath, connectTimeoutMs);
    }

    /** Checks everything that can be checked without touching the network. */
    public static final class Builder {
        private final List<String> hosts = new ArrayList<>();
        private String username;
        private SecretSource password;
        private SecretSource apiKey;
        private String caCertificatePath;
        private boolean insecureTrustAllCertificates;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;

        private Builder() {}

        /** One or more {@code http(s)://host:port} addresses of the same cluster. */
        public Builder hosts(String... hosts) {
            return hosts(List.of(hosts));
        }

        public Builder hosts(List<String> hosts) {
            for (String host : hosts) {
                this.hosts.add(host == null ? null : host.trim());
            }
            return this;
        }

        /** HTTP basic authentication, the password read where the client is built. */
        public Builder basicAuth(String username, SecretSource password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /**
         * An API key as Elasticsearch returns it in {@code encoded} (base64 of id:key), read where
         * the client is built; excludes {@link #basicAuth}.
         */
        public Builder apiKey(SecretSource encodedApiKey) {
            this.apiKey = encodedApiKey;
            return this;
        }

        /** Trust the CA(s) in this PEM file (read on the TaskManager) instead of the JVM's. */
        public Builder caCertificate(String pemFilePath) {
            this.caCertificatePath = pemFilePath;
            return this;
        }

        /**
         * Accept any server certificate and host name. Only for throwaway test clusters: it allows
         * anyone on the path to read the credentials.
         */
        public Builder insecureTrustAllCertificates(boolean insecure) {
            this.insecureTrustAllCertificates = insecure;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** How long to wait for bytes of a response; bulk requests must fit in it. */
        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = timeout;
            return this;
        }

        public ElasticsearchConfig build() {
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException(
                        "es hosts must not be empty: give at least one http://host:port");
            }
            List<String> normalized = new ArrayList<>();
            for (String host : hosts) {
                normalized.add(validateHost(host));
            }
            hosts.clear();
            hosts.addAll(normalized);
            boolean anyHttps = normalized.stream().anyMatch(h -> h.startsWith("https:"));
            if (username != null || password != null) {
                if (username == null || username.isEmpty()) {
                    throw new IllegalArgumentException("es basic auth needs a username");
                }
                if (password == null) {
                    throw new IllegalArgumentException(
                            "es basic auth for user '" + username + "' needs a password");
                }
                if (apiKey != null) {
                    throw new IllegalArgumentException(
                            "es auth: give either username/password or an API key, not both");
                }
            }
            if (caCertificatePath != null && caCertificatePath.isBlank()) {
                throw new IllegalArgumentException("es CA certificate path must not be blank");
            }
            if (caCertificatePath != null && insecureTrustAllCertificates) {
                throw new IllegalArgumentException(
                        "es TLS: give either a CA certificate or the insecure option, not both");
            }
            if ((caCertificatePath != null || insecureTrustAllCertificates) && !anyHttps) {
                throw new IllegalArgumentException(
                        "es TLS options are set but no host uses https://: " + hosts);
            }
            requirePositive("es connect timeout", connectTimeout);
            requirePositive("es socket timeout", socketTimeout);
            return new ElasticsearchConfig(this);
        }

        /** Returns the host as {@code scheme://host:port}. */
        private static String validateHost(String host) {
            String hint = "es hosts must look like http://host:port, got '" + host + "'";
            if (host == null || host.isEmpty()) {
                throw new IllegalArgumentException(hint);
            }
            URI uri;
            try {
                uri = new URI(host);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(hint, e);
            }
            String scheme = uri.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new IllegalArgumentException(hint + " (scheme must be http or https)");
            }
            if (uri.getRawUserInfo() != null) {
                // a password in a URL ends up in logs; keep secrets in the auth options
                throw new IllegalArgumentException(
                        "es hosts must not contain credentials; use basic auth or an API key");
            }
            if (uri.getHost() == null || uri.getPort() < 1) {
                throw new IllegalArgumentException(hint + " (host and port are required)");
            }
            String path = uri.getRawPath();
            if ((path != null && !path.isEmpty() && !path.equals("/"))
                    || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                throw new IllegalArgumentException(hint + " (no path or query)");
            }
            return scheme + "://" + uri.getHost() + ":" + uri.getPort();
        }

        private static void requirePositive(String what, Duration d) {
            if (d == null || d.isZero() || d.isNegative() || d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
        }
    }

    /** Used only when the operator explicitly asked for no verification. */
    private static final class TrustAllManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
