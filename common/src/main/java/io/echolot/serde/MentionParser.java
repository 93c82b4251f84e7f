package io.echolot.serde;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.echolot.model.Mention;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the bytes of a mention event into a {@link Mention}, or says precisely why not: size, JSON
 * syntax, schema (v1, from the schemas module) and timestamp plausibility. Never throws for bad
 * input. Thread-safe; build one per operator instance (the schema is not serializable).
 */
public final class MentionParser {

    /** Classpath location of the mention event schema. */
    public static final String SCHEMA_RESOURCE = "/echolot/schemas/mention-v1.schema.json";

    /** Event times before this are taken for broken clocks or zeroed fields, not old posts. */
    public static final Instant EARLIEST_PLAUSIBLE = Instant.parse("2000-01-01T00:00:00Z");

    private static final int MAX_REPORTED_ERRORS = 3;

    private final JsonSchema schema;
    private final int maxBytes;
    private final Duration maxFuture;
    private final Clock clock;

    /**
     * @param maxBytes larger records are refused unread
     * @param maxFuture how far created_at may lie ahead of this machine's clock (clock skew)
     */
    public MentionParser(int maxBytes, Duration maxFuture, Clock clock) {
        this.schema = loadSchema();
        this.maxBytes = maxBytes;
        this.maxFuture = maxFuture;
        this.clock = clock;
    }

    /** The outcome of parsing one record: a mention or a reason. */
    public record Result(Mention mention, String error) {
        public boolean ok() {
            return mention != null;
        }
    }

    public Result parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return fail("empty record");
        }
        if (bytes.length > maxBytes) {
            return fail(
                    "record is " + bytes.length + " bytes, larger than the limit of " + maxBytes);
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(bytes);
        } catch (JacksonException e) {
            return fail("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return fail("not valid JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            return fail("not a JSON object");
        }
        Set<ValidationMessage> errors = schema.validate(node);
        if (!errors.isEmpty()) {
            return fail(
                    "schema mention-v1: "
                            + errors.stream()
                                    .map(ValidationMessage::getMessage)
                                    .sorted(Comparator.naturalOrder())
                                    .limit(MAX_REPORTED_ERRORS)
                                    .collect(Collectors.joining("; "))
                            + (errors.size() > MAX_REPORTED_ERRORS
                                    ? " (+" + (errors.size() - MAX_REPORTED_ERRORS) + " more)"
                                    : ""));
        }
        Mention mention;
        try {
            mention = MentionJson.fromEvent(node);
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
        Instant latest = clock.instant().plus(maxFuture);
        if (mention.createdAt().isAfter(latest)) {
            return fail(
                    "created_at "
                            + mention.createdAt()
                            + " is more than "
                            + maxFuture
                            + " in the future");
        }
        if (mention.createdAt().isBefore(EARLIEST_PLAUSIBLE)) {
            return fail("created_at " + mention.createdAt() + " is before " + EARLIEST_PLAUSIBLE);
        }
        return new Result(mention, null);
    }

    private static Result fail(String reason) {
        return new Result(null, reason);
    }

    private static JsonSchema loadSchema() {
        try (InputStream in = MentionParser.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        SCHEMA_RESOURCE + " is not on the classpath (echolot-schemas missing?)");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
