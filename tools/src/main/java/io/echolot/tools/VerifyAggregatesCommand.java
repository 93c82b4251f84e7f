package io.echolot.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code verify-aggregates}: checks that the window aggregates in Elasticsearch hold exactly the
 * counts {@code generate --expect} produced, for every window the job must have closed by now.
 * Polls until they match or the timeout passes; exit code 0 only on a full match.
 */
@Command(
        name = "verify-aggregates",
        mixinStandardHelpOptions = true,
        description =
                "Compares the aggregates in Elasticsearch with the generator's expected counts.")
final class VerifyAggregatesCommand implements Callable<Integer> {

    @Option(
            names = "--es-hosts",
            defaultValue = "http://127.0.0.1:9200",
            description = "Default: ${DEFAULT-VALUE}.")
    String esHost;

    @Option(
            names = "--expect",
            required = true,
            description = "The file written by generate --expect.")
    Path expect;

    @Option(
            names = "--out-of-orderness",
            defaultValue = "30 s",
            converter = DurationConverter.class,
            description =
                    "The job's --out-of-orderness: windows ending later than the last event minus this are still open. Default: ${DEFAULT-VALUE}.")
    Duration outOfOrderness;

    @Option(
            names = "--timeout",
            defaultValue = "120s",
            converter = DurationConverter.class,
            description = "Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public Integer call() throws Exception {
        JsonNode root = Json.mapper().readTree(expect.toFile());
        long size = root.get("window_size_ms").asLong();
        // the watermark trails the newest event by the out-of-orderness; leave a little slack
        Instant closedBefore =
                Instant.parse(root.get("max_event_time").asText())
                        .minus(outOfOrderness)
                        .minusSeconds(5);
        Map<String, Long> expected = new TreeMap<>();
        Instant first = null;
        for (JsonNode w : root.get("windows")) {
            Instant start = Instant.parse(w.get("window_start").asText());
            if (!start.plusMillis(size).isAfter(closedBefore)) {
                expected.put(
                        key(w.get("brand").asText(), w.get("topic").asText(), start.toString()),
                        w.get("mentions").asLong());
                first = first == null || start.isBefore(first) ? start : first;
            }
        }
        if (expected.isEmpty()) {
            System.out.println(
                    "no closed window to verify: generate for longer than one window plus the out-of-orderness");
            return 1;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Long> actual = Map.of();
        int mismatches = expected.size();
        while (System.nanoTime() < deadline) {
            actual = fetch(first);
            mismatches = 0;
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                if (!e.getValue().equals(actual.get(e.getKey()))) {
                    mismatches++;
                }
            }
            if (mismatches == 0) {
                break;
            }
            Thread.sleep(2000);
        }
        long mentions = expected.values().stream().mapToLong(Long::longValue).sum();
        if (mismatches == 0) {
            System.out.printf(
                    "OK: %d closed windows (%d mentions counted) in Elasticsearch match what was generated%n",
                    expected.size(), mentions);
            return 0;
        }
        System.out.printf(
                "MISMATCH in %d of %d closed windows after %s:%n",
                mismatches, expected.size(), timeout);
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            Long got = actual.get(e.getKey());
            if (!e.getValue().equals(got)) {
                System.out.printf(
                        "  %s expected %d, Elasticsearch has %s%n", e.getKey(), e.getValue(), got);
            }
        }
        return 1;
    }

    private Map<String, Long> fetch(Instant from) throws Exception {
        String body =
                "{\"size\":10000,\"_source\":[\"brand\",\"topic\",\"window_start\",\"mentions\"],"
                        + "\"query\":{\"range\":{\"window_start\":{\"gte\":\""
                        + from
                        + "\"}}}}";
        HttpRequest req =
                HttpRequest.newBuilder(
                                URI.create(
                                        esHost.replaceAll("/$", "")
                                                + "/echolot-aggregates-*/_search"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            System.out.println("Elasticsearch not reachable at " + esHost + ": " + e.getMessage());
            return Map.of();
        }
        if (resp.statusCode() != 200) {
            return Map.of();
        }
        Map<String, Long> out = new HashMap<>();
        for (JsonNode hit : Json.mapper().readTree(resp.body()).path("hits").path("hits")) {
            JsonNode s = hit.get("_source");
            out.put(
                    key(
                            s.get("brand").asText(),
                            s.get("topic").asText(),
                            Instant.parse(s.get("window_start").asText()).toString()),
                    s.get("mentions").asLong());
        }
        return out;
    }

    private static String key(String brand, String topic, String start) {
        return brand + "/" + topic + "@" + start;
    }
}
