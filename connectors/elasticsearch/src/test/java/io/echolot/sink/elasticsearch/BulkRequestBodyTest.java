package io.echolot.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echolot.index.DocumentRequest;
import io.echolot.index.ElasticsearchIds;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.http.HttpEntity;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.Test;

/** The {@code _bulk} request the writer builds: framing, action lines and how it goes out. */
class BulkRequestBodyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String[] lines(Request request) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        request.getEntity().writeTo(out);
        String body = out.toString(StandardCharsets.UTF_8);
        assertThat(body).endsWith("\n");
        return body.split("\n", -1);
    }

    @Test
    void goesOutInOnePieceAsNdjsonAskingOnlyForWhatTheWriterReads() {
        Request request =
                ElasticsearchSinkWriter.toBulkRequest(
                        List.of(DocumentRequest.index("idx", "a", json("{\"x\":1}"))));

        HttpEntity entity = request.getEntity();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getEndpoint()).isEqualTo("/_bulk");
        assertThat(entity.isChunked()).isFalse();
        assertThat(entity.getContentLength()).isPositive();
        assertThat(entity.getContentType().getValue()).startsWith("application/x-ndjson");
        assertThat(request.getParameters())
                .containsEntry("filter_path", ElasticsearchSinkWriter.RESPONSE_FILTER);
    }

    @Test
    void writesEachOperationAsElasticsearchExpectsIt() throws Exception {
        Request request =
                ElasticsearchSinkWriter.toBulkRequest(
                        List.of(
                                DocumentRequest.index("idx", "a", json("{\"x\":1}")),
                                DocumentRequest.indexVersioned("idx", "b", json("{\"x\":2}"), 7),
                                DocumentRequest.upsert("idx", "c", json("{\"x\":3}")),
                                DocumentRequest.delete("idx", "d")));

        String[] lines = lines(request);

        assertThat(lines).hasSize(8); // 7 lines, each ending in a newline
        assertThat(JSON.readTree(lines[0]))
                .isEqualTo(JSON.readTree("{\"index\":{\"_index\":\"idx\",\"_id\":\"a\"}}"));
        assertThat(lines[1]).isEqualTo("{\"x\":1}");
        assertThat(JSON.readTree(lines[2]))
                .isEqualTo(
                        JSON.readTree(
                                "{\"index\":{\"_index\":\"idx\",\"_id\":\"b\",\"version\":7,"
                                        + "\"version_type\":\"external_gte\"}}"));
        assertThat(lines[3]).isEqualTo("{\"x\":2}");
        assertThat(JSON.readTree(lines[4]))
                .isEqualTo(
                        JSON.readTree(
                                "{\"update\":{\"_index\":\"idx\",\"_id\":\"c\","
                                        + "\"retry_on_conflict\":3}}"));
        assertThat(JSON.readTree(lines[5]))
                .isEqualTo(JSON.readTree("{\"doc\":{\"x\":3},\"doc_as_upsert\":true}"));
        assertThat(JSON.readTree(lines[6]))
                .isEqualTo(JSON.readTree("{\"delete\":{\"_index\":\"idx\",\"_id\":\"d\"}}"));
        assertThat(lines[7]).isEmpty();
    }

    @Test
    void escapesIdsAndSendsHashedOnesUnderTheirHash() throws Exception {
        String quoted = "x:\"quoted\"\\ and\nnewline ünïcödé";
        String tooLong = "y".repeat(ElasticsearchIds.MAX_BYTES + 1);
        Request request =
                ElasticsearchSinkWriter.toBulkRequest(
                        List.of(
                                DocumentRequest.index("idx", quoted, json("{}")),
                                DocumentRequest.index("idx", tooLong, json("{}"))));

        String[] lines = lines(request);

        JsonNode first = JSON.readTree(lines[0]).path("index");
        assertThat(first.path("_id").asText()).isEqualTo(quoted);
        JsonNode second = JSON.readTree(lines[2]).path("index");
        assertThat(second.path("_id").asText()).isEqualTo(ElasticsearchIds.of(tooLong));
        assertThat(ElasticsearchIds.isHashed(second.path("_id").asText())).isTrue();
    }
}
