package io.echolot.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientPropertiesTest {

    private static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"echolot\" password=\"%s\";";

    @Test
    void keepsPlaceholdersAndRegistersTheProviders(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(
                file,
                "security.protocol=SASL_SSL\n"
                        + "sasl.mechanism=SCRAM-SHA-512\n"
                        + "sasl.jaas.config="
                        + JAAS.formatted("${env:KAFKA_PASSWORD}")
                        + "\n"
                        + "ssl.truststore.password=${file:/etc/echolot/truststore-password}\n"
                        + "linger.ms=20\n"
                        + "fetch.min.bytes=1024\n");
        KafkaClientProperties p = KafkaClientProperties.load(file);

        Map<String, String> producer = p.forProducer();
        assertThat(producer)
                .containsEntry("sasl.jaas.config", JAAS.formatted("${env:KAFKA_PASSWORD}"))
                .containsEntry("linger.ms", "20")
                .doesNotContainKey("fetch.min.bytes")
                .containsEntry("config.providers", "env,file")
                .containsEntry("config.providers.env.class", EnvSecretProvider.class.getName())
                .containsEntry("config.providers.file.class", FileSecretProvider.class.getName());
        assertThat(p.forConsumer())
                .containsEntry("fetch.min.bytes", "1024")
                .containsEntry("security.protocol", "SASL_SSL")
                .doesNotContainKey("linger.ms");
        assertThat(p.toString()).doesNotContain("KAFKA_PASSWORD").contains("sasl.jaas.config");
        assertThat(KafkaClientProperties.none().forProducer()).isEmpty();
    }

    @Test
    void refusesSettingsEcholotSetsAndUnknownOnesSayingWhatToDo() {
        Map<String, String> m = new HashMap<>();
        m.put("bootstrap.servers", "b:9092");
        m.put("group.id", "g");
        m.put("transactional.id", "t");
        m.put("value.deserializer", "x");
        m.put("config.providers.vault.class", "x");
        m.put("sasl.jass.config", "typo");
        m.put("security.protocol", "SASL_SSL");
        assertThatThrownBy(() -> KafkaClientProperties.of(m, "k.properties"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrap.servers is set by echolot")
                .hasMessageContaining("--bootstrap-servers")
                .hasMessageContaining("--group-id")
                .hasMessageContaining("--transactional-id-prefix")
                .hasMessageContaining("value.deserializer is set by echolot")
                .hasMessageContaining("config.providers.vault.class is set by echolot")
                .hasMessageContaining("sasl.jass.config is not a setting")
                .hasMessageNotContaining("security.protocol");
    }

    @Test
    void refusesPlaceholdersOfOtherProvidersWithoutPrintingTheValue() {
        assertThatThrownBy(
                        () ->
                                KafkaClientProperties.of(
                                        Map.of(
                                                "sasl.jaas.config",
                                                JAAS.formatted("clear-secret-${vault:a/b}"),
                                                "ssl.key.password",
                                                "${file:relative/path}",
                                                "ssl.keystore.password",
                                                "${env:not-a-name}"),
                                        "k.properties"))
                .hasMessageContaining("${vault:a/b} is not supported")
                .hasMessageContaining("needs an absolute path")
                .hasMessageContaining("does not name an environment variable")
                .hasMessageNotContaining("clear-secret");
    }

    @Test
    void aRealProducerResolvesFileAndEnvPlaceholdersWhenItIsCreated(@TempDir Path dir)
            throws Exception {
        Path secret = dir.resolve("password");
        Files.writeString(secret, "s3cret-from-file\n");
        Map.Entry<String, String> someVar = System.getenv().entrySet().iterator().next();
        Properties props =
                KafkaClientProperties.toProperties(
                        KafkaClientProperties.of(
                                        Map.of(
                                                "ssl.key.password",
                                                "${file:" + secret + "}",
                                                "client.dns.lookup",
                                                "use_all_dns_ips",
                                                "metadata.max.age.ms",
                                                "1000"),
                                        "k.properties")
                                .forProducer(Map.of("bootstrap.servers", "127.0.0.1:1")));
        ProducerConfig config = new ProducerConfig(withSerializers(props));
        assertThat(config.getPassword("ssl.key.password").value()).isEqualTo("s3cret-from-file");

        EnvSecretProvider env = new EnvSecretProvider();
        assertThat(env.get(null, java.util.Set.of(someVar.getKey())).data())
                .containsEntry(someVar.getKey(), someVar.getValue());
    }

    @Test
    void aMissingSecretFailsTheClientNamingIt() {
        String missing = "ECHOLOT_TEST_SURELY_UNSET_" + System.nanoTime();
        Properties props =
                withSerializers(
                        KafkaClientProperties.toProperties(
                                KafkaClientProperties.of(
                                                Map.of(
                                                        "ssl.key.password",
                                                        "${env:" + missing + "}"),
                                                "k.properties")
                                        .forProducer(Map.of("bootstrap.servers", "127.0.0.1:1"))));
        assertThatThrownBy(() -> new ProducerConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(missing)
                .hasMessageContaining("is not set");
        Properties file =
                withSerializers(
                        KafkaClientProperties.toProperties(
                                KafkaClientProperties.of(
                                                Map.of(
                                                        "ssl.key.password",
                                                        "${file:/nonexistent/pw}"),
                                                "k.properties")
                                        .forProducer(Map.of("bootstrap.servers", "127.0.0.1:1"))));
        assertThatThrownBy(() -> new ProducerConfig(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("/nonexistent/pw");
    }

    private static Properties withSerializers(Properties p) {
        for (String k :
                List.of(
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)) {
            p.put(k, ByteArraySerializer.class.getName());
        }
        return p;
    }
}
