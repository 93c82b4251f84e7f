package io.echolot.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.echolot.alert.AlertType;
import io.echolot.alert.Severity;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookConfigTest {

    private static final String SECRET = "0123456789abcdef0123";

    @Test
    void readsTheExampleFile(@TempDir Path dir) throws Exception {
        Path teamsUrl = dir.resolve("teams-url");
        Files.writeString(teamsUrl, "https://example.webhook.office.com/hook/abc\n");
        String yaml;
        try (InputStream in =
                getClass().getResourceAsStream("/echolot/webhooks/example-webhooks.yaml")) {
            yaml =
                    new String(in.readAllBytes(), StandardCharsets.UTF_8)
                            .replace("/etc/echolot/teams-webhook-url", teamsUrl.toString());
        }
        WebhookConfig config =
                WebhookConfig.parse(
                        yaml,
                        "example",
                        Map.of(
                                "ECHOLOT_WEBHOOK_SECRET",
                                SECRET,
                                "ECHOLOT_SLACK_WEBHOOK_URL",
                                "https://hooks.slack.example/services/T/B/X"));

        assertThat(config.endpoints()).hasSize(3);
        WebhookEndpoint json = config.endpoints().get(0);
        assertThat(json.name()).isEqualTo("ops-json");
        assertThat(json.format()).isEqualTo(WebhookFormat.JSON);
        assertThat(json.secret()).isEqualTo(SecretRef.ofEnv("ECHOLOT_WEBHOOK_SECRET"));
        assertThat(json.filter()).isEqualTo(AlertFilter.ANY);
        assertThat(json.maxAttempts()).isEqualTo(WebhookEndpoint.UNBOUNDED_ATTEMPTS);
        assertThat(json.maxRetryDuration()).isEqualTo(Duration.ofHours(24));
        assertThat(json.maxQueued()).isEqualTo(1000);
        WebhookEndpoint slack = config.endpoints().get(1);
        assertThat(slack.url()).isNull();
        assertThat(slack.urlRef()).isEqualTo(SecretRef.ofEnv("ECHOLOT_SLACK_WEBHOOK_URL"));
        assertThat(slack.language()).isEqualTo("de");
        assertThat(slack.filter())
                .isEqualTo(
                        new AlertFilter(
                                Set.of("strider", "cardiofit"),
                                Set.of(),
                                Set.of(AlertType.NEGATIVE_BURST, AlertType.ADVERSE_EVENT),
                                Severity.MEDIUM));
        WebhookEndpoint teams = config.endpoints().get(2);
        assertThat(teams.format()).isEqualTo(WebhookFormat.TEAMS);
        assertThat(teams.maxConcurrency()).isEqualTo(1);
        assertThat(teams.ratePerSecond()).isEqualTo(1.0);
        assertThat(teams.maxBackoff()).isEqualTo(Duration.ofMinutes(5));
        assertThat(teams.maxRetryDuration()).isEqualTo(Duration.ofHours(48));
        // neither the toString of the config nor of an endpoint shows a URL or a secret
        assertThat(config.toString()).doesNotContain("hooks.slack", "office.com", SECRET);
    }

    @Test
    void listsEveryProblemAtOnce() {
        String yaml =
                """
                endpoints:
                  - name: a
                    url: ftp://example.org/x
                    format: xml
                    secret: plain-text-secret
                  - name: b
                    url: https://example.org/b
                    format: json
                    filters:
                      min_severity: huge
                    max_attempts: 0
                """;
        assertThatThrownBy(() -> WebhookConfig.parse(yaml, "bad.yaml", Map.of()))
                .isInstanceOf(WebhookConfigException.class)
                .satisfies(
                        e -> {
                            String all = String.join("\n", ((WebhookConfigException) e).problems());
                            assertThat(all)
                                    .contains("url")
                                    .contains("format")
                                    .contains("secret")
                                    .contains("min_severity")
                                    .contains("max_attempts");
                            assertThat(((WebhookConfigException) e).problems().size())
                                    .isGreaterThanOrEqualTo(5);
                        })
                .hasMessageStartingWith("bad.yaml");
    }

    @Test
    void needsReadableSecretsUniqueNamesAndASecretForJson(@TempDir Path dir) {
        String yaml =
                """
                endpoints:
                  - name: a
                    url: https://example.org/a
                    format: json
                    secret_env: NOT_SET_ANYWHERE
                  - name: a
                    url: https://example.org/a2
                    format: json
                  - name: c
                    url_file: %s
                    format: slack
                  - name: d
                    url: https://example.org/d
                    format: teams
                    secret_env: SHORT
                """
                        .formatted(dir.resolve("missing"));
        assertThatThrownBy(() -> WebhookConfig.parse(yaml, "f", Map.of("SHORT", "abc")))
                .isInstanceOf(WebhookConfigException.class)
                .satisfies(
                        e ->
                                assertThat(((WebhookConfigException) e).problems())
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains(
                                                                        "endpoint a:",
                                                                        "NOT_SET_ANYWHERE is not set"))
                                        .anySatisfy(p -> assertThat(p).contains("used twice"))
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains(
                                                                        "format json needs a signing secret"))
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains(
                                                                        "endpoint c:",
                                                                        "cannot be read"))
                                        .anySatisfy(
                                                p ->
                                                        assertThat(p)
                                                                .contains(
                                                                        "endpoint d:",
                                                                        "shorter than 16")));
    }

    @Test
    void readsRetryDurationAndAttemptsAndRefusesAZeroDuration() {
        String yaml =
                """
                endpoints:
                  - name: a
                    url: https://example.org/a
                    format: teams
                    max_retry_duration: 2 h
                    max_attempts: 40
                """;
        WebhookEndpoint a = WebhookConfig.parse(yaml, "f", Map.of()).endpoints().get(0);
        assertThat(a.maxRetryDuration()).isEqualTo(Duration.ofHours(2));
        assertThat(a.maxAttempts()).isEqualTo(40);

        assertThatThrownBy(() -> WebhookConfig.parse(yaml.replace("2 h", "0 s"), "f", Map.of()))
                .isInstanceOf(WebhookConfigException.class)
                .hasMessageContaining("max_retry_duration must be longer than zero");
        assertThatThrownBy(() -> WebhookConfig.parse(yaml.replace("2 h", "soon"), "f", Map.of()))
                .isInstanceOf(WebhookConfigException.class)
                .hasMessageContaining("max_retry_duration");
    }

    @Test
    void refusesAnEmptyOrBrokenFile() {
        assertThatThrownBy(() -> WebhookConfig.parse("", "f", Map.of()))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> WebhookConfig.parse("endpoints: [", "f", Map.of()))
                .hasMessageContaining("not valid YAML");
    }
}
