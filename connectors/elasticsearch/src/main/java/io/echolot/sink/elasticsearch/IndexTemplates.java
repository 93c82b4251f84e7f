package io.echolot.sink.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs composable index templates ({@code PUT _index_template/<name>}) from JSON files on the
 * classpath before the sink writes, so indices created by the first document get the right
 * mappings.
 *
 * <p>Idempotent: the body is sent byte for byte, and when the file has a top-level {@code version}
 * equal to the installed template's, nothing is sent at all. Templates without a version are
 * re-sent on every start (same content, same result).
 *
 * <p>A template only shapes indices created after it; a new version also adds its fields to the
 * existing indices of its patterns ({@code PUT <patterns>/_mapping} with its properties), so a
 * field added in a later version does not make documents of the current month's strict index fail.
 * Only additions are possible this way: a changed field type is refused by Elasticsearch and
 * reported.
 */
public final class IndexTemplates {

    private static final Logger LOG = LoggerFactory.getLogger(IndexTemplates.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VALID_NAME = Pattern.compile("[^\\s/\\\\*?\"<>|,#:]+");

    private IndexTemplates() {}

    /** A template to install: its name and the classpath resource holding the request body. */
    public record Template(String name, String resource) implements Serializable {
        public Template {
            if (name == null || !VALID_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid index template name '" + name + "'");
            }
            if (resource == null || resource.isBlank()) {
                throw new IllegalArgumentException(
                        "index template '" + name + "' needs a classpath resource");
            }
            resource = resource.startsWith("/") ? resource.substring(1) : resource;
        }
    }

    /** What {@link #install} did with one template. */
    public enum Result {
        INSTALLED,
        UNCHANGED
    }

    /** Installs all templates in order; stops at the first failure. */
    public static Map<String, Result> install(
            RestClient client, List<Template> templates, ClassLoader classLoader)
            throws IOException {
        Map<String, Result> results = new LinkedHashMap<>();
        for (Template template : templates) {
            results.put(template.name(), install(client, template, classLoader));
        }
        return results;
    }

    /** Installs one template unless the same version is already there. */
    public static Result install(RestClient client, Template template, ClassLoader classLoader)
            throws IOException {
        byte[] body = readResource(template, classLoader);
        JsonNode wanted = parse(template, body);
        JsonNode version = wanted.get("version");
        String endpoint = "/_index_template/" + template.name();
        try {
            if (version != null && version.canConvertToLong()) {
                Long installed = installedVersion(client, endpoint);
                if (installed != null && installed == version.asLong()) {
                    LOG.info(
                            "Index template {} version {} is already installed",
                            template.name(),
                            installed);
                    return Result.UNCHANGED;
                }
            }
            Request put = new Request("PUT", endpoint);
            put.setEntity(new NByteArrayEntity(body, ContentType.APPLICATION_JSON));
            client.performRequest(put);
            extendExistingIndices(client, wanted);
            LOG.info(
                    "Installed index template {} (version {}) from {}",
                    template.name(),
                    version,
                    template.resource());
            return Result.INSTALLED;
        } catch (ResponseException e) {
            throw explain(template, e);
        } catch (IOException e) {
            if (RetryPolicy.isUntrustedCertificate(e)) {
                throw new IOException(RetryPolicy.UNTRUSTED_CERTIFICATE + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    /** Adds the template's properties to the indices its patterns already match. */
    private static void extendExistingIndices(RestClient client, JsonNode template)
            throws IOException {
        JsonNode properties = template.path("template").path("mappings").path("properties");
        JsonNode patterns = template.path("index_patterns");
        if (!properties.isObject() || !patterns.isArray() || patterns.isEmpty()) {
            return;
        }
        StringBuilder targets = new StringBuilder();
        for (JsonNode p : patterns) {
            targets.append(targets.length() == 0 ? "" : ",").append(p.asText());
        }
        Request put = new Request("PUT", "/" + targets + "/_mapping");
        put.addParameter("allow_no_indices", "true");
        put.addParameter("expand_wildcards", "open");
        byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().set("properties", properties));
        put.setEntity(new NByteArrayEntity(body, ContentType.APPLICATION_JSON));
        client.performRequest(put);
    }

    /** The installed template's version, or {@code null} if absent or unversioned. */
    private static Long installedVersion(RestClient client, String endpoint) throws IOException {
        Response response;
        try {
            response = client.performRequest(new Request("GET", endpoint));
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                return null;
            }
            throw e;
        }
        JsonNode root = JSON.readTree(response.getEntity().getContent());
        JsonNode installed = root.path("index_templates").path(0).path("index_template");
        JsonNode version = installed.get("version");
        return version != null && version.canConvertToLong() ? version.asLong() : null;
    }

    private static IOException explain(Template template, ResponseException e) {
        int status = e.getResponse().getStatusLine().getStatusCode();
        if (status == 401) {
            return new IOException(RetryPolicy.CREDENTIALS_REJECTED, e);
        }
        if (status == 403) {
            return new IOException(RetryPolicy.ACCESS_DENIED, e);
        }
        return new IOException(
                "could not install index template "
                        + template.name()
                        + " from "
                        + template.resource()
                        + " (status "
                        + status
                        + ")",
                e);
    }

    static byte[] readResource(Template template, ClassLoader classLoader) {
        try (InputStream in = classLoader.getResourceAsStream(template.resource())) {
            if (in == null) {
                throw new IllegalArgumentException(
                        "index template resource '"
                                + template.resource()
                                + "' for template "
                                + template.name()
                                + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + template.resource(), e);
        }
    }

    private static JsonNode parse(Template template, byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(
                        "index template resource " + template.resource() + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "index template resource " + template.resource() + " is not valid JSON", e);
        }
    }
}
