package io.echolot.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.json.Json;
import io.echolot.rules.BrandMatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code benchmark} end to end on a tiny input: every path sees every mention, and the JSON carries
 * the figures. Speed is not checked here.
 */
class BenchmarkCommandTest {

    @Test
    void generatedInputNamesOneGeneratedBrandPerMentionWithSkew() throws Exception {
        BenchmarkInput input =
                BenchmarkInput.generate(
                        2_000, 50, 100, 1.0, Instant.parse("2026-01-05T09:00:00Z"), 7);
        BrandMatcher matcher = BrandMatcher.compile(input.rules());
        Map<String, Integer> perBrand = new HashMap<>();
        for (byte[] r : input.records()) {
            JsonNode event = Json.mapper().readTree(r, 0, r.length);
            assertThat(event.has("brands")).isFalse();
            assertThat(event.has("lang")).isFalse();
            var match = matcher.match(event.path("text").asText());
            assertThat(match.brands()).hasSize(1);
            perBrand.merge(match.brands().iterator().next(), 1, Integer::sum);
        }
        String first = input.brandNames().get(0).toLowerCase(java.util.Locale.ROOT);
        String last = input.brandNames().get(49).toLowerCase(java.util.Locale.ROOT);
        // Zipf: the first brand has several times the volume of the last
        assertThat(perBrand.get(first)).isGreaterThan(5 * perBrand.getOrDefault(last, 0));
        assertThat(input.rules().brands()).hasSize(50);
        assertThat(input.possibleKeys()).isEqualTo(50 * (input.rules().topics().size() + 1));
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void everyPathCountsEveryMentionAndTheJsonHasTheFigures(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("benchmark.json");
        int exit =
                EcholotCli.commandLine()
                        .execute(
                                "benchmark",
                                "--mentions",
                                "3000",
                                "--brands",
                                "100",
                                // two subtasks: counts must add up across them
                                "--parallelism",
                                "2",
                                "--warmup-share",
                                "0",
                                "--checkpoint-interval",
                                "0s",
                                "--out",
                                out.toString());
        assertThat(exit).isZero();
        JsonNode json = Json.mapper().readTree(Files.readString(out));

        assertThat(json.path("input").path("mentions").asLong()).isEqualTo(3000);
        assertThat(json.path("input").path("matched_mentions").asLong()).isEqualTo(3000);
        assertThat(json.path("input").path("keys").asInt()).isGreaterThan(100);
        JsonNode limit = json.path("limit");
        assertThat(limit.path("matched_mentions").asLong()).isEqualTo(3000);
        long brandMentions = limit.path("brand_mentions").asLong();
        assertThat(brandMentions).isEqualTo(3000);

        assertThat(json.path("pipeline")).hasSize(1);
        for (JsonNode p : json.path("pipeline")) {
            assertThat(p.path("mentions_out").asLong()).isEqualTo(3000);
            assertThat(p.path("brand_mentions_in_aggregates").asLong()).isEqualTo(brandMentions);
            assertThat(p.path("dead_letters").asLong()).isZero();
            assertThat(p.path("late").asLong()).isZero();
        }
        assertThat(json.path("pipeline"))
                .extracting(p -> p.path("parallelism").asInt())
                .containsExactly(2);
        assertThat(json.path("peer")).hasSize(1);
        for (JsonNode q : json.path("peer")) {
            assertThat(q.path("brand_mentions_in_aggregates").asLong()).isEqualTo(brandMentions);
            assertThat(q.path("aggregates_out").asLong()).isPositive();
        }
        // the same aggregate rows in both: one per (brand, topic, window) with mentions
        assertThat(json.path("peer").get(0).path("aggregates_out").asLong())
                .isEqualTo(json.path("pipeline").get(0).path("aggregates_out").asLong());

        for (String field :
                List.of(
                        "limit_mentions_per_s",
                        "pipeline_mentions_per_s",
                        "peer_mentions_per_s",
                        "pipeline_vs_limit_per_core",
                        "pipeline_vs_peer")) {
            assertThat(json.path(field).isNumber()).as(field).isTrue();
            assertThat(json.path(field).asDouble()).as(field).isPositive();
        }
        assertThat(json.has("state_bytes_per_key")).isTrue();
        assertThat(json.path("state").path("how").asText()).isNotBlank();
        assertThat(json.path("limit").path("peak_heap_used_bytes").asLong()).isPositive();
        assertThat(json.path("jvm").path("available_processors").asInt()).isPositive();
        assertThat(json.path("jvm").path("garbage_collectors")).isNotEmpty();
        assertThat(json.path("jvm").has("arguments")).isTrue();
        assertThat(json.path("by_parallelism").has("2")).isTrue();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void onRocksDbTheLargestCheckpointIsSplitByOperator(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("benchmark.json");
        int exit =
                EcholotCli.commandLine()
                        .execute(
                                "benchmark",
                                "--mentions",
                                "20000",
                                "--brands",
                                "100",
                                "--parallelism",
                                "1",
                                "--warmup-share",
                                "0",
                                "--no-peer",
                                "--state-backend",
                                "rocksdb",
                                "--checkpoint-interval",
                                "200ms",
                                "--out",
                                out.toString());
        assertThat(exit).isZero();
        JsonNode json = Json.mapper().readTree(Files.readString(out));
        assertThat(json.path("state_backend").asText()).isEqualTo("rocksdb");
        JsonNode p = json.path("pipeline").get(0);
        assertThat(p.path("mentions_out").asLong()).isEqualTo(20000);
        long largest = p.path("largest_checkpoint_bytes").asLong();
        assertThat(largest).isPositive();
        JsonNode byOperator = p.path("largest_checkpoint_by_operator");
        // named by operator and uid, and adding up to the whole checkpoint's state
        assertThat(byOperator.path("alert-drivers (explain-alert-drivers)").asLong()).isPositive();
        assertThat(byOperator.path("deduplicate-by-id (dedup-mentions)").asLong()).isPositive();
        long sum = 0;
        for (JsonNode bytes : byOperator) {
            sum += bytes.asLong();
        }
        assertThat(sum).isEqualTo(largest);
        assertThat(json.path("state").path("how").asText()).contains("rocksdb");
    }
}
