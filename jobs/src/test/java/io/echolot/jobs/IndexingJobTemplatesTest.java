package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.echolot.index.IndexNames;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The indexing job's sink writes every index, so it must install a template for each: a document
 * that reaches an index no template matches creates it with dynamic mappings for good.
 */
class IndexingJobTemplatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void installsExactlyOneTemplateForEveryIndexItWrites() throws IOException {
        for (String prefix :
                List.of(
                        IndexNames.MENTIONS,
                        IndexNames.AGGREGATES,
                        IndexNames.ALERTS,
                        IndexNames.CARE)) {
            String index = prefix + "2026.01";
            List<String> matching = new ArrayList<>();
            for (String[] template : IndexingJob.TEMPLATES) {
                for (JsonNode pattern : body(template[1]).path("index_patterns")) {
                    if (glob(pattern.asText()).matcher(index).matches()) {
                        matching.add(template[0]);
                    }
                }
            }
            assertThat(matching).as("templates matching %s", index).hasSize(1);
        }
    }

    private static JsonNode body(String resource) throws IOException {
        try (InputStream in = IndexingJob.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return JSON.readTree(in);
        }
    }

    /** Elasticsearch's index patterns only know {@code *}. */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            regex.append(regex.length() == 0 ? "" : ".*").append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
