package io.echolot.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import io.echolot.testing.ElasticsearchTestServer;
import io.echolot.testing.TestServers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    private static final String TEMPLATE_PATH = "/_index_template/" + NAME;
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
    void aSecondWriterFindsTheInstalledTemplateAndSendsNothing() throws Exception {
        deleteTemplate();
        try (ElasticsearchProxy proxy = ElasticsearchProxy.start(es.url());
                RestClient viaProxy =
                        ElasticsearchConfig.builder()
                                .hosts(proxy.url())
                                .build()
                                .createRestClient()) {
            assertThat(IndexTemplates.install(viaProxy, V1, CLASSPATH))
                    .isEqualTo(IndexTemplates.Result.INSTALLED);
            assertThat(IndexTemplates.install(viaProxy, V1, CLASSPATH))
                    .isEqualTo(IndexTemplates.Result.UNCHANGED);

            assertThat(proxy.requests("PUT", TEMPLATE_PATH)).isEqualTo(1);
            assertThat(proxy.requests("GET", TEMPLATE_PATH)).isEqualTo(2);
            assertThat(installedVersion()).isEqualTo(1L);
        }
    }

    @Test
    @Timeout(60)
    void upgradesAnOlderTemplateAndNeverDowngradesANewerOne() throws Exception {
        deleteTemplate();
        IndexTemplates.install(rest, V1, CLASSPATH);
        try (ElasticsearchProxy proxy = ElasticsearchProxy.start(es.url());
                RestClient viaProxy =
                        ElasticsearchConfig.builder()
                                .hosts(proxy.url())
                                .build()
                                .createRestClient()) {
            assertThat(IndexTemplates.install(viaProxy, V2, CLASSPATH))
                    .isEqualTo(IndexTemplates.Result.INSTALLED);
            assertThat(installedVersion()).isEqualTo(2L);
            assertThat(proxy.answered("PUT", TEMPLATE_PATH, 200)).isEqualTo(1);

            // a writer of an older jar (a rolled-back job) leaves the newer template alone
            assertThat(IndexTemplates.install(viaProxy, V1, CLASSPATH))
                    .isEqualTo(IndexTemplates.Result.NEWER_KEPT);
            assertThat(installedVersion()).isEqualTo(2L);
            assertThat(proxy.requests("PUT", TEMPLATE_PATH)).isEqualTo(1);
        }
    }

    @Test
    @Timeout(60)
    void installsAMissingTemplateOnceWhenManyWritersOpenAtOnce() throws Exception {
        deleteTemplate();
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try (ElasticsearchProxy proxy = ElasticsearchProxy.start(es.url());
                RestClient viaProxy =
                        ElasticsearchConfig.builder()
                                .hosts(proxy.url())
                                .build()
                                .createRestClient()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<IndexTemplates.Result>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                results.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    return IndexTemplates.install(viaProxy, V2, CLASSPATH);
                                }));
            }
            start.countDown();
            List<IndexTemplates.Result> outcomes = new ArrayList<>();
            for (Future<IndexTemplates.Result> r : results) {
                outcomes.add(r.get());
            }

            assertThat(outcomes)
                    .containsOnly(IndexTemplates.Result.INSTALLED, IndexTemplates.Result.UNCHANGED)
                    .containsOnlyOnce(IndexTemplates.Result.INSTALLED);
            assertThat(proxy.answered("PUT", TEMPLATE_PATH, 200)).isEqualTo(1);
            assertThat(installedVersion()).isEqualTo(2L);
        } finally {
            pool.shutdownNow();
        }
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
