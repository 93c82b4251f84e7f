package io.echolot.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import io.echolot.testing.ElasticsearchTestServer;
import io.echolot.testing.TestServers;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class IndexTemplatesITCase {

    private static final String NAME = "echolot-templatetest";
    private static final IndexTemplates.Template V1 =
            new IndexTemplates.Template(NAME, "echolot-test/templates/templatetest-v1.json");
    private static final IndexTemplates.Template V2 =
            new IndexTemplates.Template(NAME, "/echolot-test/templates/templatetest-v2.json");
    private static final ClassLoader CLASSPATH = IndexTemplatesITCase.class.getClassLoader();

    private static ElasticsearchTestServer es;
    private static ElasticsearchConfig config;
    private static RestClient rest;
    private static ElasticsearchClient client;

    @BeforeAll
    static void connect() {
        es = TestServers.elasticsearch();
        config = ElasticsearchConfig.builder().hosts(es.url()).build();
        rest = config.createRestClient();
        client = config.createClient();
    }

    @AfterAll
    static void disconnect() throws IOException {
        deleteTemplate();
        rest.close();
        client.close();
    }

    @Test
    @Timeout(60)
    void installsATemplateOnceAndSkipsItWhileTheVersionIsUnchanged() throws Exception {
        deleteTemplate();

        assertThat(IndexTemplates.install(rest, V1, CLASSPATH))
                .isEqualTo(IndexTemplates.Result.INSTALLED);
        assertThat(IndexTemplates.install(rest, List.of(V1), CLASSPATH))
                .isEqualTo(Map.of(NAME, IndexTemplates.Result.UNCHANGED));
        assertThat(installedVersion()).isEqualTo(1L);
        String existing = es.randomIndex("templatetest");
        client.indices().create(c -> c.index(existing));
        assertThat(
                        client.indices()
                                .getMapping(m -> m.index(existing))
                                .get(existing)
                                .mappings()
                                .properties())
                .containsOnlyKeys("name");

        assertThat(IndexTemplates.install(rest, V2, CLASSPATH))
                .isEqualTo(IndexTemplates.Result.INSTALLED);
        assertThat(installedVersion()).isEqualTo(2L);

        // an index made under version 1 (strict) takes documents with the field added in 2
        assertThat(
                        client.indices()
                                .getMapping(m -> m.index(existing))
                                .get(existing)
                                .mappings()
                                .properties())
                .containsKeys("name", "score");
        client.indices().delete(d -> d.index(existing));

        // and it takes effect: a new matching index gets the template's mapping
        String index = es.randomIndex("templatetest");
        client.indices().create(c -> c.index(index));
        Map<String, Property> properties =
                client.indices().getMapping(m -> m.index(index)).get(index).mappings().properties();
        assertThat(properties).containsKeys("name", "score");
        assertThat(properties.get("score").isDouble()).isTrue();
        client.indices().delete(d -> d.index(index));
    }

    @Test
    @Timeout(60)
    void explainsRejectedCredentials() throws Exception {
        try (ElasticsearchProxy proxy = ElasticsearchProxy.start(es.url()).unauthorized();
                RestClient unauthorized =
                        ElasticsearchConfig.builder()
                                .hosts(proxy.url())
                                .basicAuth(
                                        "echolot",
                                        SecretSource.file(
                                                java.nio.file.Files.writeString(
                                                                java.nio.file.Files.createTempFile(
                                                                        "es-password", ""),
                                                                "wrong")
                                                        .toString()))
                                .build()
                                .createRestClient()) {
            assertThatThrownBy(() -> IndexTemplates.install(unauthorized, V1, CLASSPATH))
                    .isInstanceOf(IOException.class)
                    .hasMessage(RetryPolicy.CREDENTIALS_REJECTED);
        }
    }

    private static Long installedVersion() throws IOException {
        return client.indices()
                .getIndexTemplate(t -> t.name(NAME))
                .indexTemplates()
                .get(0)
                .indexTemplate()
                .version();
    }

    private static void deleteTemplate() throws IOException {
        Request delete = new Request("DELETE", "/_index_template/" + NAME);
        delete.addParameter("ignore", "404");
        rest.performRequest(delete);
    }
}
