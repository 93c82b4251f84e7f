package io.echolot.tools.nab;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Reads NAB's files: timestamps and {@code windows.json}. */
public final class NabFiles {

    /** {@code YYYY-MM-DD HH:MM:SS} with optional fraction, UTC (also accepts a 'T'). */
    private static final DateTimeFormatter TIMESTAMP =
            new DateTimeFormatterBuilder()
                    .appendPattern("yyyy-MM-dd")
                    .optionalStart()
                    .appendLiteral(' ')
                    .optionalEnd()
                    .optionalStart()
                    .appendLiteral('T')
                    .optionalEnd()
                    .appendPattern("HH:mm:ss")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
                    .optionalEnd()
                    .toFormatter();

    private NabFiles() {}

    /** Epoch millis of a NAB timestamp (UTC). */
    public static long parseTimestamp(String text) {
        String t = text.trim();
        if (t.endsWith("Z")) {
            t = t.substring(0, t.length() - 1);
        }
        return LocalDateTime.parse(t, TIMESTAMP).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    /**
     * The windows of {@code windows.json} by file name: NAB keys such as {@code
     * realTweets/Twitter_volume_AAPL.csv} are reduced to the name after the last slash.
     */
    public static Map<String, List<NabWindow>> readWindows(Path file) throws IOException {
        JsonNode root = Json.mapper().readTree(file.toFile());
        Map<String, List<NabWindow>> byName = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String name = e.getKey().substring(e.getKey().lastIndexOf('/') + 1);
            List<NabWindow> windows = new ArrayList<>();
            for (JsonNode w : e.getValue()) {
                windows.add(
                        new NabWindow(
                                parseTimestamp(w.get(0).asText()),
                                parseTimestamp(w.get(1).asText())));
            }
            windows.sort((a, b) -> Long.compare(a.start(), b.start()));
            byName.put(name, windows);
        }
        return byName;
    }
}
