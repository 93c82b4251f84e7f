package io.echolot.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolot.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Option;

/**
 * Replays a JSON-lines file of mention events with the gaps between their {@code created_at}
 * divided by a speed-up factor. By default the time line is moved so that the first event happens
 * now (event times compressed by the same factor, so windows see the replayed burst as it was, only
 * faster); with {@code --replay-time keep} the events keep their timestamps (a backfill). Lines
 * that are not mention events are sent unchanged, so a replay of real feed data keeps its dead
 * letters.
 */
final class Replay {

    /** The replay flags of {@code generate}. */
    static final class Options {
        @Option(
                names = "--replay",
                required = true,
                description = "A JSON-lines file of mention events (one event per line).")
        Path file;

        @Option(
                names = "--speed",
                defaultValue = "1",
                description =
                        "Speed-up factor: 10 plays an hour of events in 6 minutes. Default: ${DEFAULT-VALUE}.")
        double speed;

        @Option(
                names = "--replay-time",
                defaultValue = "shift",
                description =
                        "shift: move the events' time line to start now (compressed by --speed); keep:"
                                + " leave created_at as it is. Default: ${DEFAULT-VALUE}.")
        String time;
    }

    /** What a replay did. */
    record Summary(long records, long retimed, double seconds) {}

    /** Where replayed records go: key (the event id, or null) and value. */
    interface Send {
        void send(byte[] key, byte[] value);
    }

    private Replay() {}

    /**
     * Replays {@code options.file} into {@code send}; paced in real time unless {@code paced} is
     * false (then at once, e.g. into a file).
     */
    static Summary run(Options options, Instant now, Send send, boolean paced) throws IOException {
        if (!(options.speed > 0)) {
            throw new IllegalArgumentException("--speed must be positive, got " + options.speed);
        }
        if (!options.time.equals("shift") && !options.time.equals("keep")) {
            throw new IllegalArgumentException(
                    "--replay-time must be shift or keep, got " + options.time);
        }
        if (!Files.isReadable(options.file)) {
            throw new IllegalArgumentException(
                    "--replay " + options.file + " is not a readable file");
        }
        boolean shift = options.time.equals("shift");
        long start = System.nanoTime();
        Instant first = null;
        long offsetNanos = 0;
        long records = 0;
        long retimed = 0;
        try (BufferedReader in = Files.newBufferedReader(options.file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                records++;
                byte[] value = line.getBytes(StandardCharsets.UTF_8);
                byte[] key = null;
                ObjectNode event = event(line);
                Instant created = event == null ? null : createdAt(event);
                if (created != null) {
                    if (first == null) {
                        first = created;
                    }
                    long gap = created.toEpochMilli() - first.toEpochMilli();
                    // an event older than its predecessors is sent at once, not before them
                    offsetNanos = Math.max(offsetNanos, (long) (gap * 1e6 / options.speed));
                    if (shift) {
                        event.put(
                                "created_at",
                                now.plusNanos((long) (gap * 1e6 / options.speed)).toString());
                        value = Json.mapper().writeValueAsBytes(event);
                        retimed++;
                    }
                }
                if (event != null && event.path("id").isTextual()) {
                    key = event.get("id").asText().getBytes(StandardCharsets.UTF_8);
                }
                if (paced) {
                    long wait = start + offsetNanos - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                send.send(key, value);
            }
        }
        return new Summary(records, retimed, (System.nanoTime() - start) / 1e9);
    }

    private static ObjectNode event(String line) {
        try {
            JsonNode node = Json.mapper().readTree(line);
            return node instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Instant createdAt(ObjectNode event) {
        JsonNode c = event.get("created_at");
        if (c == null || !c.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(c.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
