package io.echolot.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay of JSON-lines files: the time line moved and compressed, or kept; broken lines kept. */
class ReplayTest {

    @TempDir Path dir;

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private Path file() throws Exception {
        Path f = dir.resolve("feed.jsonl");
        Files.writeString(
                f,
                String.join(
                                "\n",
                                "{\"id\":\"a\",\"created_at\":\"2025-03-01T10:00:00Z\",\"text\":\"Strider\"}",
                                "not json at all",
                                "{\"id\":\"b\",\"created_at\":\"2025-03-01T10:00:10Z\",\"text\":\"Strider\"}",
                                "",
                                "{\"id\":\"c\",\"created_at\":\"2025-03-01T10:00:20Z\",\"text\":\"Strider\"}")
                        + "\n");
        return f;
    }

    private static Replay.Options options(Path f, double speed, String time) {
        Replay.Options o = new Replay.Options();
        o.file = f;
        o.speed = speed;
        o.time = time;
        return o;
    }

    @Test
    void shiftMovesTheTimeLineToNowCompressedBySpeed() throws Exception {
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        Replay.Summary s =
                Replay.run(
                        options(file(), 10, "shift"),
                        NOW,
                        (k, v) -> {
                            keys.add(k == null ? null : new String(k, StandardCharsets.UTF_8));
                            values.add(new String(v, StandardCharsets.UTF_8));
                        },
                        false);
        assertThat(s.records()).isEqualTo(4);
        assertThat(s.retimed()).isEqualTo(3);
        assertThat(keys).containsExactly("a", null, "b", "c");
        assertThat(values.get(1)).isEqualTo("not json at all");
        assertThat(createdAt(values.get(0))).isEqualTo("2026-11-23T12:00:00Z");
        assertThat(createdAt(values.get(2))).isEqualTo("2026-11-23T12:00:01Z");
        assertThat(createdAt(values.get(3))).isEqualTo("2026-11-23T12:00:02Z");
        assertThat(Json.mapper().readTree(values.get(3)).get("text").asText()).isEqualTo("Strider");
    }

    @Test
    void keepLeavesTheRecordsAsTheyAre() throws Exception {
        Path f = file();
        List<String> values = new ArrayList<>();
        Replay.run(
                options(f, 1000, "keep"),
                NOW,
                (k, v) -> values.add(new String(v, StandardCharsets.UTF_8)),
                true);
        assertThat(values)
                .containsExactlyElementsOf(
                        Files.readAllLines(f).stream().filter(l -> !l.isBlank()).toList());
    }

    @Test
    void badFlagsAreNamed() throws Exception {
        Path f = file();
        assertThatThrownBy(() -> Replay.run(options(f, 0, "shift"), NOW, (k, v) -> {}, false))
                .hasMessageContaining("--speed");
        assertThatThrownBy(() -> Replay.run(options(f, 1, "later"), NOW, (k, v) -> {}, false))
                .hasMessageContaining("--replay-time");
        assertThatThrownBy(
                        () ->
                                Replay.run(
                                        options(dir.resolve("missing"), 1, "keep"),
                                        NOW,
                                        (k, v) -> {},
                                        false))
                .hasMessageContaining("not a readable file");
    }

    private static String createdAt(String json) throws Exception {
        JsonNode n = Json.mapper().readTree(json);
        return n.get("created_at").asText();
    }
}
