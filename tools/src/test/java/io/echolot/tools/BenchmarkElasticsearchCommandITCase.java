package io.echolot.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.testing.ElasticsearchTestServer;
import io.echolot.testing.TestServers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code benchmark-elasticsearch} against a real Elasticsearch: both paths index every document of
 * the mentions template, and the figures it prints are there. No timing is asserted.
 */
class BenchmarkElasticsearchCommandITCase {

    private final ElasticsearchTestServer es = TestServers.elasticsearch();

    @Test
    void bothPathsIndexEveryDocumentAndTheFiguresArePrinted() throws Exception {
        BenchmarkElasticsearchCommand command = new BenchmarkElasticsearchCommand();
        command.esHosts = List.of(es.url());
        command.documents = 2_500;
        command.runs = 2;
        command.bulkSize = 1_000;
        command.seed = 7;

        JsonNode json = command.run();

        assertThat(json.path("input").path("documents").asInt()).isEqualTo(2_500);
        assertThat(json.path("runs")).hasSize(2);
        for (JsonNode run : json.path("runs")) {
            for (String path : List.of("plain_bulk", "sink")) {
                // measure() throws unless the path's index holds every document
                assertThat(run.path(path).path("documents").asLong()).isEqualTo(2_500);
                assertThat(run.path(path).path("documents_per_second").asLong()).isPositive();
                assertThat(run.path(path).path("es_cpu_ms").asLong()).isNotNegative();
            }
            assertThat(run.path("sink_vs_plain_rate").asDouble()).isPositive();
        }
        assertThat(json.path("summary").path("sink_vs_plain_es_cpu").path("median").isNumber())
                .isTrue();
        // the benchmark's indices are deleted afterwards, the template stays
        assertThat(es.request("GET", "/_cat/indices/echolot-mentions-bench-*?format=json", ""))
                .isEmpty();
    }

    @Test
    void theSameSeedGivesTheSameDocuments() {
        var a = BenchmarkElasticsearchCommand.documents(200, 3);
        var b = BenchmarkElasticsearchCommand.documents(200, 3);
        assertThat(a).hasSize(200);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).id()).isEqualTo(a.get(i).id());
            assertThat(b.get(i).source()).isEqualTo(a.get(i).source());
            assertThat(a.get(i).index()).startsWith("echolot-mentions-");
        }
    }
}
