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
 * <p>Cheap and safe to run from every writer subtask at every start. For a file with a top-level
 * {@code version}, a writer first reads the installed template's version (one small {@code GET}
 * with {@code filter_path}) and sends the template only when it is missing or older:
 *
 * <ul>
 *   <li>the same or a newer version installed: nothing is sent. A newer one is kept, never
 *       downgraded, so a job rolled back to an older jar does not take fields away from the indices
 *       a newer one writes;
 *   <li>missing: created with {@code ?create=true}, so of the subtasks that open at once exactly
 *       one installs it; the others are refused, read it again and find it there;
 *   <li>older: replaced. Subtasks upgrading at once all send the same body, so whichever comes last
 *       leaves the same template.
 * </ul>
 *
 * Templates without a version cannot be compared and are re-sent on every start (same content, same
 * result).
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
        /** Sent: it was missing, older or unversioned. */
        INSTALLED,
        /** Already installed at this version (maybe by another subtask a moment ago). */
        UNCHANGED,
        /** A newer version is installed and was kept. */
        NEWER_KEPT
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

    /** Installs one template unless the same or a newer version is already there. */
    public static Result install(RestClient client, Template template, ClassLoader classLoader)
            throws IOException {
        byte[] body = readResource(template, classLoader);
        JsonNode wanted = parse(template, body);
        JsonNode versionNode = wanted.get("version");
        Long version =
                versionNode != null && versionNode.canConvertToLong() ? versionNode.asLong() : null;
        String endpoint = "/_index_template/" + template.name();
        try {
            if (version == null) {
                put(client, endpoint, body, false);
            } else {
                Installed installed = installed(client, endpoint);
                Result kept = keep(template, version, installed);
                if (kept != null) {
                    return kept;
                }
                if (installed.present()) {
                    put(client, endpoint, body, false);
                } else {
                    try {
                        put(client, endpoint, body, true);
                    } catch (ResponseException e) {
                        // refused: another subtask created it since our GET, or the template
                        // itself is wrong; a second look tells which
                        Installed now = installed(client, endpoint);
                        if (!now.present()) {
                            throw e;
                        }
                        Result keptNow = keep(template, version, now);
                        if (keptNow != null) {
                            return keptNow;
                        }
                        put(client, endpoint, body, false);
                    }
                }
            }
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

    /** What is installed under a name: whether it exists, and its version if it has one. */
    private record Installed(boolean present, Long version) {}

    /** {@code null} when the template must be sent; otherwise why it is left as it is. */
    private static Result keep(Template template, long wanted, Installed installed) {
        if (!installed.present() || installed.version() == null || installed.version() < wanted) {
            return null;
        }
        if (installed.version() == wanted) {
            LOG.info("Index template {} version {} is already installed", template.name(), wanted);
            return Result.UNCHANGED;
        }
        LOG.warn(
                "Index template {} is installed at version {}, newer than this job's version {}:"
                        + " keeping the newer one",
                template.name(),
                installed.version(),
                wanted);
        return Result.NEWER_KEPT;
    }

    private static void put(RestClient client, String endpoint, byte[] body, boolean create)
            throws IOException {
        Request put = new Request("PUT", endpoint);
        if (create) {
            put.addParameter("create", "true");
        }
        put.setEntity(new NByteArrayEntity(body, ContentType.APPLICATION_JSON));
        client.performRequest(put);
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

    /** Reads only the installed template's name and version, not its whole body. */
    private static Installed installed(RestClient client, String endpoint) throws IOException {
        Request get = new Request("GET", endpoint);
        get.addParameter(
                "filter_path", "index_templates.name,index_templates.index_template.version");
        Response response;
        try {
            response = client.performRequest(get);
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                return new Installed(false, null);
            }
            throw e;
        }
        JsonNode template =
                JSON.readTree(response.getEntity().getContent()).path("index_templates");
        if (!template.isArray() || template.isEmpty()) {
            return new Installed(false, null);
        }
        JsonNode version = template.path(0).path("index_template").get("version");
        return new Installed(
                true, version != null && version.canConvertToLong() ? version.asLong() : null);
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
