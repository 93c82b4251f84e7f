package io.echolot.sink.webhook;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.echolot.alert.AlertType;
import io.echolot.alert.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.flink.util.TimeUtils;

/**
 * The webhook endpoints of a job, read from YAML ({@code echolot/schemas/webhooks-v1.schema.json},
 * example {@code echolot/webhooks/example-webhooks.yaml}). Loading validates the file against the
 * schema and checks what a schema cannot: unique names, and that every referenced secret and URL
 * can be read here. Every problem is reported at once.
 */
public record WebhookConfig(List<WebhookEndpoint> endpoints) implements Serializable {

    static final String SCHEMA_RESOURCE = "/echolot/schemas/webhooks-v1.schema.json";

    private static final YAMLMapper YAML =
            YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    public WebhookConfig {
        endpoints = List.copyOf(endpoints);
    }

    /** Reads and checks {@code file}; secrets are looked up in {@code environment}. */
    public static WebhookConfig load(Path file, Map<String, String> environment) {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new WebhookConfigException(
                    file.toString(), List.of("cannot be read: " + e.getMessage()));
        }
        return parse(yaml, file.toString(), environment);
    }

    /** Parses YAML text; {@code source} names it in error messages. */
    public static WebhookConfig parse(String yaml, String source, Map<String, String> environment) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml == null ? "" : yaml);
        } catch (JsonProcessingException e) {
            throw new WebhookConfigException(
                    source, List.of("not valid YAML: " + e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new WebhookConfigException(source, List.of("the file is empty"));
        }
        List<String> problems = new ArrayList<>();
        for (ValidationMessage m : schema().validate(root)) {
            problems.add(m.getMessage());
        }
        problems.sort(null);
        if (!problems.isEmpty()) {
            throw new WebhookConfigException(source, problems);
        }
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode e : root.get("endpoints")) {
            String name = e.get("name").asText();
            String where = "endpoint " + name + ": ";
            if (!names.add(name)) {
                problems.add(where + "the name is used twice; names must be unique");
            }
            String url = text(e, "url");
            SecretRef urlRef = ref(e, "url_env", "url_file");
            if (url != null) {
                checkUrl(url, where, problems);
            } else {
                try {
                    checkUrl(urlRef.resolve(environment), where, problems);
                } catch (IllegalStateException x) {
                    problems.add(where + "the URL cannot be read: " + x.getMessage());
                }
            }
            WebhookFormat format = WebhookFormat.fromWireName(e.get("format").asText());
            SecretRef secret = ref(e, "secret_env", "secret_file");
            if (secret == null && format == WebhookFormat.JSON) {
                problems.add(
                        where
                                + "format json needs a signing secret: add secret_env or"
                                + " secret_file");
            }
            if (secret != null) {
                try {
                    if (secret.resolve(environment).length() < 16) {
                        problems.add(
                                where
                                        + "the secret ("
                                        + secret
                                        + ") is shorter than 16 characters");
                    }
                } catch (IllegalStateException x) {
                    problems.add(where + "the secret cannot be read: " + x.getMessage());
                }
            }
            Duration initial =
                    duration(e, "initial_backoff", WebhookEndpoint.DEFAULT_INITIAL_BACKOFF);
            Duration max = duration(e, "max_backoff", WebhookEndpoint.DEFAULT_MAX_BACKOFF);
            if (max.compareTo(initial) < 0 || initial.isZero()) {
                problems.add(where + "needs 0 < initial_backoff <= max_backoff");
                max = initial = WebhookEndpoint.DEFAULT_INITIAL_BACKOFF;
            }
            Duration retryFor =
                    duration(e, "max_retry_duration", WebhookEndpoint.DEFAULT_MAX_RETRY_DURATION);
            if (retryFor.isZero()) {
                problems.add(where + "max_retry_duration must be longer than zero");
                retryFor = WebhookEndpoint.DEFAULT_MAX_RETRY_DURATION;
            }
            Duration timeout = duration(e, "timeout", WebhookEndpoint.DEFAULT_TIMEOUT);
            if (timeout.isZero()) {
                problems.add(where + "timeout must be longer than zero");
                timeout = WebhookEndpoint.DEFAULT_TIMEOUT;
            }
            endpoints.add(
                    new WebhookEndpoint(
                            name,
                            url,
                            url == null ? urlRef : null,
                            format,
                            filter(e.get("filters")),
                            secret,
                            e.path("language").asText("auto"),
                            e.path("max_concurrency")
                                    .asInt(WebhookEndpoint.DEFAULT_MAX_CONCURRENCY),
                            e.path("rate_per_second")
                                    .asDouble(WebhookEndpoint.DEFAULT_RATE_PER_SECOND),
                            timeout,
                            e.path("max_attempts").asInt(WebhookEndpoint.DEFAULT_MAX_ATTEMPTS),
                            retryFor,
                            initial,
                            max,
                            e.path("max_queued").asInt(WebhookEndpoint.DEFAULT_MAX_QUEUED)));
        }
        if (!problems.isEmpty()) {
            throw new WebhookConfigException(source, problems);
        }
        return new WebhookConfig(endpoints);
    }

    private static void checkUrl(String url, String where, List<String> problems) {
        try {
            URI uri = URI.create(url.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                // do not echo the URL: it may carry a token
                problems.add(where + "the URL must be an absolute http(s) URL with a host");
            }
        } catch (IllegalArgumentException x) {
            problems.add(where + "the URL is not a valid URI");
        }
    }

    private static AlertFilter filter(JsonNode f) {
        if (f == null) {
            return AlertFilter.ANY;
        }
        JsonNode min = f.get("min_severity");
        return new AlertFilter(
                strings(f.get("brands"), s -> s),
                strings(f.get("topics"), s -> s),
                strings(f.get("types"), s -> AlertType.valueOf(s.toUpperCase(Locale.ROOT))),
                min == null ? null : Severity.valueOf(min.asText().toUpperCase(Locale.ROOT)));
    }

    private static <T> Set<T> strings(JsonNode array, Function<String, T> map) {
        Set<T> out = new LinkedHashSet<>();
        if (array != null) {
            array.forEach(n -> out.add(map.apply(n.asText())));
        }
        return out;
    }

    private static String text(JsonNode e, String field) {
        JsonNode n = e.get(field);
        return n == null ? null : n.asText().strip();
    }

    private static SecretRef ref(JsonNode e, String envField, String fileField) {
        String env = text(e, envField);
        String file = text(e, fileField);
        if (env != null) {
            return SecretRef.ofEnv(env);
        }
        return file != null ? SecretRef.ofFile(file) : null;
    }

    private static Duration duration(JsonNode e, String field, Duration dflt) {
        JsonNode n = e.get(field);
        return n == null ? dflt : TimeUtils.parseDuration(n.asText().strip());
    }

    private static JsonSchema schema() {
        try (InputStream in = WebhookConfig.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        SCHEMA_RESOURCE + " is not on the classpath (echolot-schemas missing?)");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
