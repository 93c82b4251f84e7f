package io.echolot.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.util.InstantiationUtil;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class ElasticsearchConfigTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "localhost:9200",
                "http://localhost",
                "ftp://localhost:9200",
                "http://:9200",
                "http://localhost:9200/es",
                "http://localhost:9200?x=1",
                "not a url",
                ""
            })
    void rejectsHostsThatAreNotSchemeHostPort(String host) {
        assertThatThrownBy(() -> ElasticsearchConfig.builder().hosts(host).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "es hosts must look like http://host:port, got '" + host + "'");
    }

    @Test
    void normalisesValidHosts() {
        ElasticsearchConfig config =
                ElasticsearchConfig.builder()
                        .hosts(" http://127.0.0.1:9200/", "https://es.example:443")
                        .build();
        assertThat(config.hosts())
                .containsExactly("http://127.0.0.1:9200", "https://es.example:443");
    }

    @Test
    void rejectsCredentialsInTheUrlWithoutEchoingThem() {
        assertThatThrownBy(
                        () ->
                                ElasticsearchConfig.builder()
                                        .hosts("http://elastic:s3cret@es:9200")
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("s3cret")
                .hasMessageContaining("must not contain credentials");
    }

    @Test
    void rejectsConflictingOrIncompleteAuthAndTls() {
        assertThatThrownBy(
                        () ->
                                ElasticsearchConfig.builder()
                                        .hosts("http://es:9200")
                                        .basicAuth("elastic", SecretSource.env("ES_PW"))
                                        .apiKey(SecretSource.env("ES_KEY"))
                                        .build())
                .hasMessageContaining("either username/password or an API key");
        assertThatThrownBy(
                        () ->
                                ElasticsearchConfig.builder()
                                        .hosts("http://es:9200")
                                        .basicAuth("elastic", null)
                                        .build())
                .hasMessageContaining("needs a password");
        assertThatThrownBy(
                        () ->
                                ElasticsearchConfig.builder()
                                        .hosts("https://es:9200")
                                        .caCertificate("/ca.pem")
                                        .insecureTrustAllCertificates(true)
                                        .build())
                .hasMessageContaining("not both");
        assertThatThrownBy(
                        () ->
                                ElasticsearchConfig.builder()
                                        .hosts("http://es:9200")
                                        .caCertificate("/ca.pem")
                                        .build())
                .hasMessageContaining("no host uses https://");
        assertThatThrownBy(
                        () ->
                                ElasticsearchConfig.builder()
                                        .hosts("http://es:9200")
                                        .socketTimeout(Duration.ZERO)
                                        .build())
                .hasMessageContaining("socket timeout must be positive");
    }

    @Test
    void toStringNeverShowsSecrets(@TempDir Path dir) throws Exception {
        Path passwordFile = Files.writeString(dir.resolve("pw"), "hunter2-password\n");
        Path keyFile =
                Files.writeString(
                        dir.resolve("key"),
                        "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==");
        ElasticsearchConfig basic =
                ElasticsearchConfig.builder()
                        .hosts("https://es:9200")
                        .basicAuth("echolot", SecretSource.file(passwordFile.toString()))
                        .insecureTrustAllCertificates(true)
                        .build();
        ElasticsearchConfig apiKey =
                ElasticsearchConfig.builder()
                        .hosts("https://es:9200")
                        .apiKey(SecretSource.file(keyFile.toString()))
                        .build();

        assertThat(basic.toString())
                .contains("user=echolot", "password from file " + passwordFile, "INSECURE")
                .contains("https://es:9200")
                .doesNotContain("hunter2");
        assertThat(apiKey.toString()).contains("apiKey(from file").doesNotContain("VnVh");
        // it travels inside the job graph
        assertThat(InstantiationUtil.clone(basic)).isEqualTo(basic);
    }

    /**
     * Flink Java-serialises the sink into the job graph, which the JobManager keeps in its blob
     * store and HA metadata: the secret itself must not be in those bytes, only where to read it.
     */
    @Test
    void theSerialisedSinkCarriesWhereTheSecretIsNeverTheSecret(@TempDir Path dir)
            throws Exception {
        String password = "pw-" + java.util.UUID.randomUUID();
        String apiKey = "key-" + java.util.UUID.randomUUID();
        Path passwordFile = Files.writeString(dir.resolve("pw"), password);
        Path keyFile = Files.writeString(dir.resolve("key"), apiKey);
        for (ElasticsearchConfig config :
                List.of(
                        ElasticsearchConfig.builder()
                                .hosts("https://es:9200")
                                .basicAuth("echolot", SecretSource.file(passwordFile.toString()))
                                .build(),
                        ElasticsearchConfig.builder()
                                .hosts("https://es:9200")
                                .apiKey(SecretSource.file(keyFile.toString()))
                                .build())) {
            ElasticsearchSink<SinkTestDocument> sink =
                    ElasticsearchSink.<SinkTestDocument>builder()
                            .setConfig(config)
                            .setConverter(new SinkTestDocumentConverter("i"))
                            .build();
            // building the client reads the secret here, as the TaskManager does
            try (RestClient client = config.createRestClient()) {
                assertThat(client.getNodes()).hasSize(1);
            }

            byte[] bytes = InstantiationUtil.serializeObject(sink);

            String serialised = new String(bytes, StandardCharsets.ISO_8859_1);
            for (String secret : List.of(password, apiKey)) {
                assertThat(serialised).doesNotContain(secret);
                assertThat(serialised)
                        .doesNotContain(
                                new String(
                                        secret.getBytes(StandardCharsets.UTF_16BE),
                                        StandardCharsets.ISO_8859_1));
                assertThat(serialised)
                        .doesNotContain(
                                java.util.Base64.getEncoder()
                                        .encodeToString(
                                                ("echolot:" + secret)
                                                        .getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(serialised).contains(dir.toString());
        }
    }

    @Test
    void aMissingSecretFailsWithWhereItWasLookedForNeverAValue(@TempDir Path dir) {
        ElasticsearchConfig unsetEnv =
                ElasticsearchConfig.builder()
                        .hosts("http://es:9200")
                        .basicAuth("echolot", SecretSource.env("ECHOLOT_TEST_UNSET_" + 42))
                        .build();
        assertThatThrownBy(unsetEnv::createRestClient)
                .hasMessage(
                        "cannot read the Elasticsearch credentials: the environment variable"
                                + " ECHOLOT_TEST_UNSET_42 is not set (or blank) on this host");
        ElasticsearchConfig missingFile =
                ElasticsearchConfig.builder()
                        .hosts("http://es:9200")
                        .apiKey(SecretSource.file(dir.resolve("nope").toString()))
                        .build();
        assertThatThrownBy(missingFile::createRestClient)
                .hasMessageStartingWith(
                        "cannot read the Elasticsearch credentials: the secret file "
                                + dir.resolve("nope")
                                + " cannot be read on this host");
    }

    @Test
    void buildsAClientThatTrustsACustomCa() throws Exception {
        ElasticsearchConfig config =
                ElasticsearchConfig.builder()
                        .hosts("https://127.0.0.1:9200")
                        .basicAuth(
                                "echolot",
                                SecretSource.file(
                                        java.nio.file.Files.writeString(
                                                        java.nio.file.Files.createTempFile(
                                                                "es-password", ""),
                                                        "wrong")
                                                .toString()))
                        .caCertificate(resource("tls/test-ca.pem").toString())
                        .build();
        try (RestClient client = config.createRestClient()) {
            assertThat(client.getNodes()).hasSize(1);
        }
    }

    @Test
    void explainsAnUnreadableOrInvalidCaFile(@TempDir Path dir) throws Exception {
        Path notPem = Files.writeString(dir.resolve("ca.pem"), "this is not a certificate");
        ElasticsearchConfig missing =
                ElasticsearchConfig.builder()
                        .hosts("https://127.0.0.1:9200")
                        .caCertificate(dir.resolve("missing.pem").toString())
                        .build();
        ElasticsearchConfig invalid =
                ElasticsearchConfig.builder()
                        .hosts("https://127.0.0.1:9200")
                        .caCertificate(notPem.toString())
                        .build();

        assertThatThrownBy(missing::createRestClient)
                .hasMessageContaining("missing.pem does not exist or is not readable");
        assertThatThrownBy(invalid::createRestClient)
                .hasMessageContaining("is not a PEM X.509 certificate");
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ElasticsearchConfigTest.class.getClassLoader().getResource(name).toURI());
    }
}
