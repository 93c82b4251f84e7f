package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.echolot.detect.BaselineSettings;
import io.echolot.detect.ExtremeWindowPattern;
import io.echolot.detect.RepeatedWindowsPattern;
import io.echolot.detect.RisingWindowsPattern;
import io.echolot.detect.SpikeSettings;
import io.echolot.sink.elasticsearch.SecretSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobOptionsTest {

    @Test
    void defaultsWorkLocally() {
        JobOptions o = JobOptions.parse(new String[0], Map.of());
        assertThat(o.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(o.esHosts()).containsExactly("http://localhost:9200");
        assertThat(o.pipeline().windowSize()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.pipeline().outOfOrderness()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.checkpointInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.esUsername()).isNull();
    }

    @Test
    void choosesTheSentimentScorerAndRejectsOthers() {
        assertThat(JobOptions.parse(new String[0], Map.of()).pipeline().sentiment())
                .isInstanceOf(io.echolot.sentiment.LexiconSentimentScorer.class);
        assertThat(
                        JobOptions.parse(new String[] {"--sentiment", "model"}, Map.of())
                                .pipeline()
                                .sentiment())
                .isInstanceOf(io.echolot.sentiment.ModelSentimentScorer.class);
        assertThatThrownBy(() -> JobOptions.parse(new String[] {"--sentiment", "bert"}, Map.of()))
                .hasMessageContaining("--sentiment must be lexicon or model, got 'bert'");
    }

    @Test
    void readsDurationsAndHosts() {
        JobOptions o =
                JobOptions.parse(
                        new String[] {
                            "--window-size",
                            "5 min",
                            "--idleness",
                            "10s",
                            "--es-hosts",
                            "http://a:9200, https://b:9243/",
                            "--es-tls-insecure"
                        },
                        Map.of());
        assertThat(o.pipeline().windowSize()).isEqualTo(Duration.ofMinutes(5));
        assertThat(o.pipeline().idleness()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.esHosts()).isEqualTo(List.of("http://a:9200", "https://b:9243"));
        assertThat(o.esTlsInsecure()).isTrue();
    }

    @Test
    void listsEveryWrongFlagWithWhatToFix() {
        assertThatThrownBy(
                        () ->
                                JobOptions.parse(
                                        new String[] {
                                            "--window-size",
                                            "soon",
                                            "--es-hosts",
                                            "localhost:9200",
                                            "--top-mentions",
                                            "-1",
                                            "--colour",
                                            "red",
                                            "--starting-offsets",
                                            "yesterday"
                                        },
                                        Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--window-size is a duration like")
                .hasMessageContaining("--es-hosts entries must look like http://host:9200")
                .hasMessageContaining("--top-mentions must be between 0 and 100")
                .hasMessageContaining("unknown flag --colour")
                .hasMessageContaining("--starting-offsets must be one of");
    }

    @Test
    void suggestsTheFlagAMistypedOneMeant() {
        assertThatThrownBy(
                        () ->
                                JobOptions.parse(
                                        new String[] {
                                            "--window-sise", "5 min", "--es-password", "x"
                                        },
                                        Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown flag --window-sise, did you mean --window-size?")
                .hasMessageContaining(
                        "unknown flag --es-password, did you mean --es-password-file?")
                .hasMessageContaining("--help lists every flag");
        assertThatThrownBy(() -> JobOptions.parse(new String[] {"--colour", "red"}, Map.of()))
                .hasMessageContaining("unknown flag --colour (--help lists every flag)");
    }

    @Test
    void takesSecretsFromEnvironmentOrFilesNeverFromFlags(@TempDir Path dir) throws Exception {
        JobOptions fromEnv =
                JobOptions.parse(
                        new String[] {"--es-username", "elastic"},
                        Map.of("ECHOLOT_ES_PASSWORD", "s3cret"));
        // where to read it, not the value: the TaskManager reads it when the writer opens
        assertThat(fromEnv.esPassword()).isEqualTo(SecretSource.env("ECHOLOT_ES_PASSWORD"));
        assertThat(fromEnv.toString()).doesNotContain("s3cret");

        Path key = dir.resolve("key");
        Files.writeString(key, "abc==\n");
        assertThat(
                        JobOptions.parse(
                                        new String[] {"--es-api-key-file", key.toString()},
                                        Map.of())
                                .esApiKey())
                .isEqualTo(SecretSource.file(key.toString()));
        assertThat(SecretSource.file(key.toString()).read()).isEqualTo("abc==");
        assertThatThrownBy(
                        () ->
                                JobOptions.parse(
                                        new String[] {
                                            "--es-api-key-file", dir.resolve("none").toString()
                                        },
                                        Map.of()))
                .hasMessageContaining("--es-api-key-file: the secret file")
                .hasMessageContaining("cannot be read on this host");

        assertThatThrownBy(
                        () -> JobOptions.parse(new String[] {"--es-username", "elastic"}, Map.of()))
                .hasMessageContaining("set ECHOLOT_ES_PASSWORD or --es-password-file");
        assertThatThrownBy(() -> JobOptions.parse(new String[] {"--es-password", "x"}, Map.of()))
                .hasMessageContaining("unknown flag --es-password");
    }

    @Test
    void readsTheWebhooksFileWithItsSecretsFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("webhooks.yaml");
        Files.writeString(
                file,
                """
                endpoints:
                  - name: local
                    url: http://127.0.0.1:8099/echolot
                    format: json
                    secret_env: ECHOLOT_WEBHOOK_SECRET
                """);
        JobOptions o =
                JobOptions.parse(
                        new String[] {
                            "--webhooks", file.toString(), "--webhooks-dlq-topic", "hooks.dlq"
                        },
                        Map.of("ECHOLOT_WEBHOOK_SECRET", "a-long-enough-secret-value"));
        assertThat(o.webhooks().endpoints()).extracting(e -> e.name()).containsExactly("local");
        assertThat(o.webhooksDeadLetterTopic()).isEqualTo("hooks.dlq");
        assertThat(o.toString()).doesNotContain("a-long-enough-secret-value");
        assertThat(MentionAnalyticsJob.webhooks(o)).isNotNull();

        assertThat(JobOptions.parse(new String[0], Map.of()).webhooks()).isNull();
        assertThat(MentionAnalyticsJob.webhooks(JobOptions.parse(new String[0], Map.of())))
                .isNull();
        assertThatThrownBy(
                        () ->
                                JobOptions.parse(
                                        new String[] {"--webhooks", file.toString()}, Map.of()))
                .hasMessageContaining("--webhooks " + file)
                .hasMessageContaining("ECHOLOT_WEBHOOK_SECRET is not set");
    }

    @Test
    void spikeDetectionDefaultsAreTheDetectionDefaultsAndFlagsChangeThem() {
        assertThat(JobOptions.parse(new String[0], Map.of()).pipeline().detection().spike())
                .isEqualTo(SpikeSettings.defaults());

        SpikeSettings s =
                JobOptions.parse(
                                new String[] {
                                    "--spike-warmup", "5 min",
                                    "--spike-cooldown", "2 h",
                                    "--spike-extreme-p", "1e-8",
                                    "--spike-rising-p", "1e-5",
                                    "--spike-repeated-p", "1e-4",
                                    "--spike-min-count", "20",
                                    "--spike-min-ratio", "3"
                                },
                                Map.of())
                        .pipeline()
                        .detection()
                        .spike();
        assertThat(s.baseline().warmUp()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.baseline().levelHalfLife())
                .isEqualTo(BaselineSettings.defaults().levelHalfLife());
        assertThat(s.cooldown()).isEqualTo(Duration.ofHours(2));
        assertThat(s.patterns())
                .containsExactly(
                        new ExtremeWindowPattern(1e-8, 20, 3.0),
                        new RisingWindowsPattern(
                                SpikeSettings.RISING_WINDOWS,
                                1e-5,
                                20,
                                3.0,
                                SpikeSettings.RISING_WITHIN),
                        new RepeatedWindowsPattern(
                                SpikeSettings.REPEATED_WINDOWS,
                                1e-4,
                                20,
                                3.0,
                                SpikeSettings.REPEATED_WITHIN));
    }

    @Test
    void badSpikeFlagsStopTheJobWithWhatToFix() {
        assertThatThrownBy(
                        () ->
                                JobOptions.parse(
                                        new String[] {
                                            "--spike-warmup", "-5 min",
                                            "--spike-cooldown", "0 s",
                                            "--spike-extreme-p", "0.5",
                                            "--spike-rising-p", "often",
                                            "--spike-min-count", "0",
                                            "--spike-min-ratio", "0.5"
                                        },
                                        Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--spike-warmup")
                .hasMessageContaining("--spike-cooldown must be longer than zero")
                .hasMessageContaining("--spike-extreme-p must be between")
                .hasMessageContaining("--spike-rising-p is a number")
                .hasMessageContaining("--spike-min-count must be between 1 and")
                .hasMessageContaining("--spike-min-ratio must be between 1.0 and");
    }

    @Test
    void limitsTheFanOutAndTheAgeOfMentionsByDefault() {
        PipelineSettings p = JobOptions.parse(new String[0], Map.of()).pipeline();
        assertThat(p.maxBrands()).isEqualTo(10);
        assertThat(p.maxTopics()).isEqualTo(20);
        assertThat(p.maxEventAge()).isEqualTo(Duration.ofDays(7));
        assertThat(p.clock()).isEqualTo(java.time.Clock.systemUTC());
        assertThat(p.fanOutLimits()).isEqualTo(new io.echolot.ingest.FanOutLimits(10, 20));
    }

    @Test
    void readsTheFanOutAndAgeLimits() {
        PipelineSettings p =
                JobOptions.parse(
                                new String[] {
                                    "--max-brands",
                                    "3",
                                    "--max-topics",
                                    "5",
                                    "--max-event-age",
                                    "2 d"
                                },
                                Map.of())
                        .pipeline();
        assertThat(p.fanOutLimits()).isEqualTo(new io.echolot.ingest.FanOutLimits(3, 5));
        assertThat(p.maxEventAge()).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void refusesLimitsThatCannotWork() {
        assertThatThrownBy(
                        () ->
                                JobOptions.parse(
                                        new String[] {
                                            "--max-brands",
                                            "0",
                                            "--max-topics",
                                            "many",
                                            "--max-event-age",
                                            "0 s"
                                        },
                                        Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--max-brands must be between 1 and 1000, got 0")
                .hasMessageContaining("--max-topics is a whole number, got 'many'")
                .hasMessageContaining("--max-event-age must be longer than zero");
        assertThatThrownBy(
                        () ->
                                JobOptions.parse(
                                        new String[] {
                                            "--max-event-age", "5 min", "--allowed-lateness", "1 h"
                                        },
                                        Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--max-event-age must be longer than --allowed-lateness");
    }

    @Test
    void kafkaSinksAreTransactionalWithAPrefixPerJobAndATimeoutUnderTheBrokersMax() {
        JobOptions o = JobOptions.parse(new String[] {"--group-id", "tenant-a"}, Map.of());
        assertThat(o.kafka().transactionalIdPrefix(KafkaSettings.ALERTS))
                .isEqualTo("tenant-a-alerts");
        assertThat(o.kafka().sink().getProperty("transaction.timeout.ms")).isEqualTo("840000");
        assertThat(o.kafka().source()).isEmpty();
        JobOptions own =
                JobOptions.parse(
                        new String[] {
                            "--transactional-id-prefix",
                            "echolot-prod",
                            "--kafka-transaction-timeout",
                            "5 min"
                        },
                        Map.of());
        assertThat(own.kafka().transactionalIdPrefix(KafkaSettings.DEAD_LETTERS))
                .isEqualTo("echolot-prod-dead-letters");
        assertThat(own.kafka().sink().getProperty("transaction.timeout.ms")).isEqualTo("300000");
        assertThatThrownBy(
                        () ->
                                JobOptions.parse(
                                        new String[] {
                                            "--kafka-transaction-timeout",
                                            "30 s",
                                            "--checkpoint-interval",
                                            "1 min"
                                        },
                                        Map.of()))
                .hasMessageContaining(
                        "--kafka-transaction-timeout must be longer than --checkpoint-interval");
    }

    @Test
    void kafkaPropertiesReachEveryClientAndWrongOnesStopTheJob(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kafka.properties");
        Files.writeString(
                file,
                "security.protocol=SASL_SSL\n"
                        + "sasl.mechanism=PLAIN\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule"
                        + " required username=\"$ConnectionString\" password=\"${env:EH_CONN}\";\n");
        JobOptions o =
                JobOptions.parse(
                        new String[] {
                            "--kafka-properties", file.toString(), "--bootstrap-servers", "b:9093"
                        },
                        Map.of());
        assertThat(o.kafka().source()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(o.kafka().sink()).containsEntry("sasl.mechanism", "PLAIN");
        assertThat(o.kafka().deadLetterProducer(o.bootstrapServers()))
                .containsEntry("bootstrap.servers", "b:9093")
                .containsEntry("config.providers", "env,file");
        assertThat(o.toString()).doesNotContain("EH_CONN");

        Files.writeString(
                file, "bootstrap.servers=x:9092\ngroup.id=g\nssl.truststore.locaton=/x\n");
        assertThatThrownBy(
                        () ->
                                JobOptions.parse(
                                        new String[] {"--kafka-properties", file.toString()},
                                        Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--kafka-properties")
                .hasMessageContaining("bootstrap.servers is set by echolot")
                .hasMessageContaining("use the flag --group-id")
                .hasMessageContaining("ssl.truststore.locaton is not a setting");
        assertThatThrownBy(
                        () ->
                                JobOptions.parse(
                                        new String[] {
                                            "--kafka-properties", dir.resolve("missing").toString()
                                        },
                                        Map.of()))
                .hasMessageContaining("cannot be read");
    }
}
