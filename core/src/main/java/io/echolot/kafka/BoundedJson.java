package io.echolot.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolot.deadletter.DeadLetterRecords;
import io.echolot.json.Json;
import io.echolot.json.Utf8Caps;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a JSON event for a Kafka topic within a byte budget, so an oversized event (e.g. a late
 * mention with a huge text when {@code --max-event-bytes} is raised) cannot fail the producer and
 * the job. The event stays valid JSON that readers parse as before: while it is too large, its
 * longest string (the text, for a mention) is cut and ends in {@link Utf8Caps#MARKER}. The record
 * then carries {@value #HEADER_TRUNCATED} (the cut fields) and {@value #HEADER_ORIGINAL_BYTES}.
 */
public final class BoundedJson {

    /** Comma-separated paths of the fields that were cut, e.g. {@code text}. */
    public static final String HEADER_TRUNCATED = "echolot.truncated";

    /** Size in bytes of the event before it was cut. */
    public static final String HEADER_ORIGINAL_BYTES = "echolot.original_bytes";

    /** Below Kafka's default 1 MiB {@code max.request.size}, with room for key and headers. */
    public static final int DEFAULT_MAX_BYTES = 900 * 1024;

    /** Bounds the work on a pathological event; each round removes at least the excess. */
    private static final int MAX_ROUNDS = 64;

    private BoundedJson() {}

    /** The serialized event, the fields that were cut (empty if none) and its original size. */
    public record Result(byte[] bytes, List<String> cutFields, int originalBytes) {

        public boolean truncated() {
            return !cutFields.isEmpty();
        }

        /** Adds the truncation headers to {@code record} if anything was cut. */
        public void addHeaders(ProducerRecord<byte[], byte[]> record) {
            if (truncated()) {
                record.headers()
                        .add(
                                HEADER_TRUNCATED,
                                Utf8Caps.capToBytes(
                                        String.join(",", cutFields),
                                        DeadLetterRecords.MAX_HEADER_BYTES))
                        .add(
                                HEADER_ORIGINAL_BYTES,
                                Integer.toString(originalBytes)
                                        .getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    /**
     * Serializes {@code event}, cutting its longest strings in place until it fits {@code
     * maxBytes}. An event that cannot be brought below the budget by cutting strings is returned as
     * small as it got.
     */
    public static Result write(ObjectNode event, int maxBytes) {
        byte[] bytes = bytes(event);
        int original = bytes.length;
        List<String> cut = new ArrayList<>();
        for (int round = 0; bytes.length > maxBytes && round < MAX_ROUNDS; round++) {
            Longest longest = new Longest();
            longest.scan(event, "");
            if (longest.parent == null || longest.utf8Bytes == 0) {
                break;
            }
            int excess = bytes.length - maxBytes;
            String shorter = Utf8Caps.cap(longest.value, Math.max(0, longest.utf8Bytes - excess));
            if (longest.parent instanceof ObjectNode) {
                ((ObjectNode) longest.parent).put(longest.field, shorter);
            } else {
                ((ArrayNode) longest.parent).set(longest.index, shorter);
            }
            if (!cut.contains(longest.path)) {
                cut.add(longest.path);
            }
            bytes = bytes(event);
        }
        return new Result(bytes, List.copyOf(cut), original);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return Json.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Finds the longest string value and where it sits. */
    private static final class Longest {
        JsonNode parent;
        String field;
        int index;
        String path;
        String value;
        int utf8Bytes;

        void scan(JsonNode node, String path) {
            if (node instanceof ObjectNode) {
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> f = fields.next();
                    String at = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                    consider(node, f.getKey(), -1, at, f.getValue());
                }
            } else if (node instanceof ArrayNode) {
                for (int i = 0; i < node.size(); i++) {
                    consider(node, null, i, path + "[" + i + "]", node.get(i));
                }
            }
        }

        private void consider(JsonNode in, String name, int i, String at, JsonNode value) {
            if (value.isTextual()) {
                int size = Utf8Caps.utf8Length(value.textValue());
                if (size > utf8Bytes) {
                    parent = in;
                    field = name;
                    index = i;
                    path = at;
                    this.value = value.textValue();
                    utf8Bytes = size;
                }
            } else {
                scan(value, at);
            }
        }
    }
}
