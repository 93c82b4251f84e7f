package io.echolot.ingest;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.echolot.json.Json;
import io.echolot.json.MentionJson;
import io.echolot.json.Unicode;
import io.echolot.model.Mention;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the bytes of a mention event into a {@link Mention}, or says precisely why not: size, JSON
 * syntax (duplicate keys and trailing data included), numbers out of range, schema (v1, from the
 * schemas module), brands and topics over the {@link FanOutLimits} and timestamp plausibility.
 * Never throws for bad input: whatever a library throws for one record (any runtime exception, a
 * stack overflow) becomes a reason too, because one record must never fail the Kafka source.
 * Thread-safe; build one per operator instance (the schema is not serializable).
 */
public final class MentionParser {

    /** Classpath location of the mention event schema. */
    public static final String SCHEMA_RESOURCE = "/echolot/schemas/mention-v1.schema.json";

    /** Event times before this are taken for broken clocks or zeroed fields, not old posts. */
    public static final Instant EARLIEST_PLAUSIBLE = Instant.parse("2000-01-01T00:00:00Z");

    private static final int MAX_REPORTED_ERRORS = 3;

    private static final int MAX_REPORTED_MESSAGE = 200;

    // A key given twice is ambiguous (which one wins differs between readers), and a second value
    // after the first is not one event: both are refused rather than guessed at.
    private static final ObjectReader READER =
            Json.mapper()
                    .reader()
                    .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final JsonSchema schema;
    private final int maxBytes;
    private final Duration maxFuture;
    private final Clock clock;
    private final FanOutLimits limits;

    /**
     * A parser without limits on brands and topics beyond the schema's.
     *
     * @param maxBytes larger records are refused unread
     * @param maxFuture how far created_at may lie ahead of this machine's clock (clock skew)
     */
    public MentionParser(int maxBytes, Duration maxFuture, Clock clock) {
        this(maxBytes, maxFuture, clock, FanOutLimits.NONE);
    }

    /**
     * @param maxBytes larger records are refused unread
     * @param maxFuture how far created_at may lie ahead of this machine's clock (clock skew)
     * @param limits events with more brands or topics of their own are refused
     */
    public MentionParser(int maxBytes, Duration maxFuture, Clock clock, FanOutLimits limits) {
        this.schema = loadSchema();
        this.maxBytes = maxBytes;
        this.maxFuture = maxFuture;
        this.clock = clock;
        this.limits = limits;
    }

    /** The outcome of parsing one record: a mention or a reason. */
    public record Result(Mention mention, String error) {
        public boolean ok() {
            return mention != null;
        }
    }

    /** Parses one record; never throws. */
    public Result parse(byte[] bytes) {
        try {
            return parseOrThrow(bytes);
        } catch (StackOverflowError e) {
            return fail("nested too deeply to read (" + describe(e) + ")");
        } catch (RuntimeException e) {
            return fail("cannot read the record: " + describe(e));
        }
    }

    private Result parseOrThrow(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return fail("empty record");
        }
        if (bytes.length > maxBytes) {
            return fail(
                    "record is " + bytes.length + " bytes, larger than the limit of " + maxBytes);
        }
        int malformed = firstMalformedUtf8(bytes);
        if (malformed >= 0) {
            return fail("not valid UTF-8 at byte " + malformed);
        }
        JsonNode node;
        try {
            node = READER.readTree(bytes);
        } catch (JacksonException e) {
            return fail("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return fail("not valid JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            return fail("not a JSON object");
        }
        String outOfRange = nonFiniteNumber(node);
        if (outOfRange != null) {
            return fail(
                    "number out of range at "
                            + outOfRange
                            + ": too large for a 64-bit floating-point number");
        }
        Set<ValidationMessage> errors;
        try {
            errors = schema.validate(node);
        } catch (RuntimeException e) {
            return fail("schema mention-v1: the validator failed: " + describe(e));
        }
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
        String overLimit = limits.violation(mention);
        if (overLimit != null) {
            return fail(overLimit);
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
        // the reason goes into headers and logs; it may quote the input
        return new Result(null, Unicode.wellFormed(reason));
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        if (message == null) {
            return t.getClass().getSimpleName();
        }
        if (message.length() > MAX_REPORTED_MESSAGE) {
            message = message.substring(0, MAX_REPORTED_MESSAGE) + "...";
        }
        return t.getClass().getSimpleName() + ": " + message;
    }

    /**
     * The offset of the first byte that is not well-formed UTF-8, or -1. Jackson's decoder is
     * lenient: it reads overlong forms (C0 AF for "/") and encoded surrogates (ED A0 80), so text
     * could pass filters in one form and mean another; the JDK's decoder refuses both.
     */
    private static int firstMalformedUtf8(byte[] bytes) {
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(Math.min(bytes.length, 8192));
        while (true) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                return in.position();
            }
            if (r.isUnderflow()) {
                r = decoder.flush(out);
                return r.isError() ? in.position() : -1;
            }
            out.clear();
        }
    }

    /**
     * The JSON pointer of the first number that did not fit a double (e.g. {@code 1e400}, read as
     * infinity), or null. The schema validator turns such a number into a BigDecimal and throws;
     * naming the field is clearer than its exception. Jackson's nesting limit bounds the depth.
     */
    private static String nonFiniteNumber(JsonNode root) {
        Deque<Map.Entry<String, JsonNode>> todo = new ArrayDeque<>();
        todo.push(Map.entry("", root));
        while (!todo.isEmpty()) {
            Map.Entry<String, JsonNode> e = todo.pop();
            JsonNode n = e.getValue();
            if (n.isFloatingPointNumber() && !Double.isFinite(n.doubleValue())) {
                return e.getKey().isEmpty() ? "/" : e.getKey();
            }
            if (n.isObject()) {
                n.fields()
                        .forEachRemaining(
                                f ->
                                        todo.push(
                                                Map.entry(
                                                        e.getKey() + "/" + f.getKey(),
                                                        f.getValue())));
            } else if (n.isArray()) {
                for (int i = 0; i < n.size(); i++) {
                    todo.push(Map.entry(e.getKey() + "/" + i, n.get(i)));
                }
            }
        }
        return null;
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
