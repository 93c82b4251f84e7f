package io.echolot.jobs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolot.json.Json;
import io.echolot.json.Unicode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates the input of the open internet at its worst, deterministically by seed: schema-valid
 * posts whose ids, conversation ids, urls, texts and numbers carry hostile values, posts that raise
 * adverse-event and unanswered-customer alerts with such ids, and broken records (byte flips,
 * truncation, every field replaced by a hostile value of any type, deep nesting, duplicate keys,
 * impossible dates, non-finite numbers, oversized records, garbage bytes).
 *
 * <p>Each record says what must become of it ({@link Expect}); where the outcome depends on chance
 * (a byte flip may leave a valid record) it says {@link Expect#ANY}, and the test then only checks
 * that the record is accounted for.
 */
final class HostileRecords {

    /** What the job must do with a record. */
    enum Expect {
        /** A valid mention: indexed in Elasticsearch. */
        INDEXED,
        /** Broken: on the dead-letter topic with a reason. */
        DEAD_LETTER,
        /** Valid but older than --max-event-age: on the late topic, not indexed. */
        TOO_OLD,
        /** Either; only accounted for. */
        ANY
    }

    /** Why a record is in the set, for messages and the figures. */
    enum Kind {
        VALID,
        DUPLICATE,
        ADVERSE_EVENT,
        COMPLAINT,
        TOO_OLD,
        BYTE_FLIP,
        TRUNCATED,
        FIELD_REPLACED,
        KNOWN_INVALID_FIELD,
        DEEP_NESTING,
        DUPLICATE_KEYS,
        IMPOSSIBLE_DATE,
        FAN_OUT,
        SEPARATOR_IN_KEY,
        OVERSIZED,
        NOT_AN_OBJECT,
        GARBAGE
    }

    /** One record: its Kafka key ("r" + sequence number, for accounting) and value. */
    record Hostile(int seq, byte[] key, byte[] value, Expect expect, Kind kind, String id) {}

    /** Lone surrogates cannot be written by Jackson, so they are spliced into the bytes. */
    private static final String LONE_HIGH = "\uE000LONEHIGH\uE000";

    private static final String LONE_LOW = "\uE000LONELOW\uE000";

    /** Strings that are valid JSON strings but hostile wherever they end up. */
    static final List<String> HOSTILE_STRINGS =
            List.of(
                    "線".repeat(240),
                    "😡".repeat(100),
                    "€ürö–“”‘’",
                    "\u202Eevil\u202C\u200F\u200E\u200B\u2066x\u2069",
                    "\u0000\u0001\u0007\u001b[31mred\u001b[0m\r\n\t",
                    "https://a|x> <!channel> <!here> <@U123ABC>",
                    "javascript:alert(1)",
                    "[click](https://evil.example) *bold* _it_ ~s~ `code` # h",
                    "<script>alert('x')</script>",
                    "../../../etc/passwd",
                    "_id",
                    "%00%2F%E2%82%AC",
                    " ",
                    "null",
                    "\\\"'`",
                    "\uFEFF\uFFFE\uFFFF",
                    "A" + LONE_HIGH + "B",
                    LONE_LOW + "tail",
                    "e\u0301\u0301\u0301\u0301\u0301",
                    "ﷺ𒐫𒐫𒐫 ꧅ ",
                    "x".repeat(256));

    private static final List<String> PLATFORMS =
            List.of(
                    "x",
                    "twitter",
                    "facebook",
                    "instagram",
                    "youtube",
                    "reddit",
                    "forum",
                    "blog",
                    "news",
                    "review",
                    "other");

    private static final List<String> VALID_LANGS =
            List.of("de", "en", "DE", "zz", "xyz", "de-AT", "en-Latn-US", "qq-12345678", "und");

    /** Values of every type for field replacement. */
    private static final List<String> HOSTILE_JSON =
            List.of(
                    "1e400",
                    "-1e400",
                    "1e-400",
                    "123456789012345678901234567890123456789",
                    "-1",
                    "0",
                    "3.5",
                    "true",
                    "null",
                    "[]",
                    "{}",
                    "[1,[2,[3]]]",
                    "{\"a\":{\"b\":{\"c\":1}}}",
                    "\"\"",
                    "\"1969-12-31T23:59:59Z\"",
                    "\"9999-12-31T23:59:59Z\"",
                    "\"2026-02-30T10:00:00Z\"",
                    "\"\\ud800\"",
                    "\"\\u0000\"",
                    "\"" + "\\u7dda".repeat(300) + "\"",
                    "[\"" + "b\",\"".repeat(70) + "b\"]");

    private static final List<String> FIELDS =
            List.of(
                    "id",
                    "platform",
                    "url",
                    "created_at",
                    "text",
                    "lang",
                    "author",
                    "brands",
                    "topics",
                    "sentiment",
                    "engagement",
                    "reshare_of",
                    "reply_to",
                    "thread_root",
                    "schema_version");

    private final SplittableRandom random;
    private final Instant now;
    private final String pharmaBrand;
    private final String pharmaName;
    private final String careBrand;
    private final String careName;
    private final String careAccount;
    private final int maxEventBytes;
    private int seq;

    HostileRecords(
            long seed,
            Instant now,
            String pharmaBrand,
            String pharmaName,
            String careBrand,
            String careName,
            String careAccount,
            int maxEventBytes) {
        this.random = new SplittableRandom(seed);
        this.now = now;
        this.pharmaBrand = pharmaBrand;
        this.pharmaName = pharmaName;
        this.careBrand = careBrand;
        this.careName = careName;
        this.careAccount = careAccount;
        this.maxEventBytes = maxEventBytes;
    }

    /** Adverse-event posts: each is one alert whose id carries the hostile mention id. */
    List<Hostile> adverseEvents(int n) {
        List<Hostile> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int s = seq++;
            String id = hostileId(s);
            ObjectNode o = base(s, id, pharmaBrand, recent());
            o.put(
                    "text",
                    pick(HOSTILE_STRINGS)
                            + " "
                            + pharmaName
                            + ": starke Nebenwirkungen, mir ist schwindelig "
                            + pick(HOSTILE_STRINGS));
            o.remove("sentiment");
            out.add(record(s, o, Expect.INDEXED, Kind.ADVERSE_EVENT, id));
        }
        return out;
    }

    /**
     * Complaints addressed to the care brand's account in conversations with hostile ids, old
     * enough that their SLA runs out while the job reads the backlog: each is one unanswered alert.
     */
    List<Hostile> complaints(int n, Duration age) {
        List<Hostile> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int s = seq++;
            String id = cut("complaint-" + s + "-" + pick(HOSTILE_STRINGS), 200);
            ObjectNode o = base(s, id, careBrand, now.minus(age).plusSeconds(i));
            o.put("text", "@" + careAccount + " " + careName + " wo bleibt meine Bestellung? ");
            o.put("thread_root", cut("conversation-" + s + "-" + pick(HOSTILE_STRINGS), 256));
            o.put("lang", "de");
            out.add(record(s, o, Expect.INDEXED, Kind.COMPLAINT, id));
        }
        return out;
    }

    /** The rest of the load: valid posts with hostile values and broken records of every kind. */
    List<Hostile> mixed(int n) {
        List<Hostile> out = new ArrayList<>();
        List<Hostile> valid = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int roll = random.nextInt(1000);
            Hostile h;
            if (roll < 380) {
                h = valid();
                // a duplicate re-sends a record that is indexed, not one refused for its topics
                if (h.expect() == Expect.INDEXED) {
                    valid.add(h);
                }
            } else if (roll < 400 && !valid.isEmpty()) {
                Hostile again = valid.get(random.nextInt(valid.size()));
                int s = seq++;
                h =
                        new Hostile(
                                s,
                                key(s),
                                again.value(),
                                Expect.INDEXED,
                                Kind.DUPLICATE,
                                again.id());
            } else if (roll < 405) {
                h = tooOld();
            } else if (roll < 555) {
                h = byteFlip();
            } else if (roll < 625) {
                h = truncated();
            } else if (roll < 825) {
                h = fieldReplaced();
            } else if (roll < 875) {
                h = knownInvalidField();
            } else if (roll < 880) {
                h = deepNesting();
            } else if (roll < 900) {
                h = duplicateKeys();
            } else if (roll < 930) {
                h = impossibleDate();
            } else if (roll < 935) {
                h = fanOut();
            } else if (roll < 937) {
                h = oversized();
            } else if (roll < 960) {
                h = notAnObject();
            } else {
                h = garbage();
            }
            out.add(h);
        }
        return out;
    }

    private Hostile valid() {
        int s = seq++;
        String id = random.nextInt(4) == 0 ? hostileId(s) : "post-" + s;
        ObjectNode o = base(s, id, random.nextBoolean() ? pharmaBrand : careBrand, recent());
        if (decorate(o)) {
            return record(s, o, Expect.DEAD_LETTER, Kind.SEPARATOR_IN_KEY, id);
        }
        return record(s, o, Expect.INDEXED, Kind.VALID, id);
    }

    private Hostile tooOld() {
        int s = seq++;
        String id = "old-" + s;
        ObjectNode o = base(s, id, careBrand, now.minus(Duration.ofDays(8 + random.nextInt(3000))));
        return record(s, o, Expect.TOO_OLD, Kind.TOO_OLD, id);
    }

    private Hostile byteFlip() {
        int s = seq++;
        ObjectNode o = base(s, "flip-" + s, careBrand, recent());
        decorate(o);
        byte[] bytes = bytes(o);
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            int at = random.nextInt(bytes.length);
            bytes[at] = (byte) (bytes[at] ^ (1 << random.nextInt(8)));
        }
        return new Hostile(s, key(s), bytes, Expect.ANY, Kind.BYTE_FLIP, null);
    }

    private Hostile truncated() {
        int s = seq++;
        ObjectNode o = base(s, "cut-" + s, careBrand, recent());
        decorate(o);
        byte[] bytes = bytes(o);
        byte[] cut = new byte[random.nextInt(bytes.length)];
        System.arraycopy(bytes, 0, cut, 0, cut.length);
        // a strict prefix of a compact JSON object is never a complete one
        return new Hostile(s, key(s), cut, Expect.DEAD_LETTER, Kind.TRUNCATED, null);
    }

    private Hostile fieldReplaced() {
        int s = seq++;
        ObjectNode o = base(s, "field-" + s, careBrand, recent());
        String field = pick(FIELDS);
        String value = pick(HOSTILE_JSON);
        String json = replaceField(o, field, value);
        return new Hostile(s, key(s), utf8(json), Expect.ANY, Kind.FIELD_REPLACED, null);
    }

    /** Replacements the schema refuses, the three that stopped the job among them. */
    private Hostile knownInvalidField() {
        int s = seq++;
        ObjectNode o = base(s, "invalid-" + s, careBrand, recent());
        String[][] cases = {
            {"platform", "1e400"},
            {"platform", "-1e400"},
            {"platform", "\"myspace\""},
            {"id", "1e400"},
            {"id", "\"\""},
            {"id", "\"" + "x".repeat(257) + "\""},
            {"created_at", "1e400"},
            {"created_at", "\"yesterday\""},
            {"text", "null"},
            {"author", "\"bob\""},
            {"sentiment", "1e400"},
            {"sentiment", "2"},
            {"brands", "\"" + careBrand + "\""},
            {"lang", "\"../../x\""},
            {"schema_version", "2"},
            {"engagement", "{\"likes\":1e400}"},
            {"engagement", "{\"likes\":-1}"},
        };
        String[] c = cases[random.nextInt(cases.length)];
        String json = replaceField(o, c[0], c[1]);
        return new Hostile(
                s, key(s), utf8(json), Expect.DEAD_LETTER, Kind.KNOWN_INVALID_FIELD, null);
    }

    private Hostile deepNesting() {
        int s = seq++;
        int depth = 1000 + random.nextInt(100_000);
        String nested = "[".repeat(depth) + "]".repeat(depth);
        ObjectNode o = base(s, "deep-" + s, careBrand, recent());
        String json = replaceField(o, pick(List.of("text", "author", "brands", "extra")), nested);
        return new Hostile(s, key(s), utf8(json), Expect.DEAD_LETTER, Kind.DEEP_NESTING, null);
    }

    private Hostile duplicateKeys() {
        int s = seq++;
        ObjectNode o = base(s, "dupkey-" + s, careBrand, recent());
        String json = bytesToString(o);
        // the same key twice: which one wins differs between parsers, so it is refused
        String field = pick(List.of("\"id\":", "\"text\":", "\"platform\":"));
        String dup =
                switch (field) {
                    case "\"id\":" -> "\"id\":\"other-" + s + "\",";
                    case "\"text\":" -> "\"text\":\"x\",";
                    default -> "\"platform\":\"news\",";
                };
        json = "{" + dup + json.substring(1);
        return new Hostile(s, key(s), utf8(json), Expect.DEAD_LETTER, Kind.DUPLICATE_KEYS, null);
    }

    private Hostile impossibleDate() {
        int s = seq++;
        ObjectNode o = base(s, "date-" + s, careBrand, recent());
        o.put(
                "created_at",
                pick(
                        List.of(
                                "1969-12-31T23:59:59Z",
                                "1970-01-01T00:00:00Z",
                                "1999-12-31T23:59:59.999Z",
                                "9999-12-31T23:59:59Z",
                                "+10000-01-01T00:00:00Z",
                                "2026-02-30T10:00:00Z",
                                "2026-13-01T00:00:00Z",
                                "2026-01-01T25:00:00Z",
                                "2026-01-01T00:00:00+25:00",
                                "0000-00-00T00:00:00Z",
                                "-0001-01-01T00:00:00Z")));
        return record(s, o, Expect.DEAD_LETTER, Kind.IMPOSSIBLE_DATE, null);
    }

    /** 64 brands × 64 topics: refused by the fan-out cap instead of copied 4,160 times. */
    private Hostile fanOut() {
        int s = seq++;
        ObjectNode o = base(s, "fanout-" + s, careBrand, recent());
        ArrayNode brands = o.putArray("brands");
        ArrayNode topics = o.putArray("topics");
        for (int i = 0; i < 64; i++) {
            brands.add("b" + i + "-" + "ß".repeat(100));
            topics.add("t" + i + "-" + "線".repeat(100));
        }
        o.put("text", careName + " " + "y".repeat(39_000));
        return record(s, o, Expect.DEAD_LETTER, Kind.FAN_OUT, null);
    }

    private Hostile oversized() {
        int s = seq++;
        ObjectNode o = base(s, "big-" + s, careBrand, recent());
        o.put("padding", "z".repeat(maxEventBytes + random.nextInt(maxEventBytes)));
        return record(s, o, Expect.DEAD_LETTER, Kind.OVERSIZED, null);
    }

    private Hostile notAnObject() {
        int s = seq++;
        String v =
                pick(
                        List.of(
                                "",
                                "null",
                                "[]",
                                "[{}]",
                                "\"a string\"",
                                "1e400",
                                "NaN",
                                "true",
                                "{}",
                                "{\"id\":\"x\"}",
                                "\uFEFF",
                                "{\"id\":\"a\"}{\"id\":\"b\"}"));
        return new Hostile(s, key(s), utf8(v), Expect.DEAD_LETTER, Kind.NOT_AN_OBJECT, null);
    }

    private Hostile garbage() {
        int s = seq++;
        byte[] bytes = new byte[1 + random.nextInt(2000)];
        random.nextBytes(bytes);
        if (random.nextBoolean()) {
            bytes[0] = '{';
        }
        return new Hostile(s, key(s), bytes, Expect.ANY, Kind.GARBAGE, null);
    }

    // ------------------------------------------------------------------ building blocks

    private ObjectNode base(int s, String id, String brand, Instant at) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("schema_version", 1);
        o.put("id", id);
        o.put("platform", pick(PLATFORMS));
        o.put("created_at", at.toString());
        String name = brand.equals(pharmaBrand) ? pharmaName : careName;
        o.put("text", name + " " + pick(TEXTS));
        ObjectNode author = o.putObject("author");
        author.put("id", "author-" + random.nextInt(5000));
        author.put("handle", "h" + random.nextInt(5000));
        author.put("followers", random.nextInt(100_000));
        o.putArray("brands").add(brand);
        o.put("sentiment", random.nextInt(3) - 1);
        return o;
    }

    /**
     * Hostile but schema-valid values in the optional fields; true when a topic holds '|' or a
     * control character, which the parser refuses (they join brand and topic in keys and ids).
     */
    private boolean decorate(ObjectNode o) {
        boolean refused = false;
        if (random.nextBoolean()) {
            o.put(
                    "url",
                    pick(
                            List.of(
                                    "https://example.org/p?q=" + pick(HOSTILE_STRINGS),
                                    pick(HOSTILE_STRINGS),
                                    "javascript:alert(1)",
                                    "https://a|x> <!channel>")));
        }
        if (random.nextBoolean()) {
            o.put("lang", pick(VALID_LANGS));
        }
        if (random.nextInt(4) == 0) {
            o.put("text", o.get("text").asText() + " " + pick(HOSTILE_STRINGS));
        }
        if (random.nextInt(4) == 0) {
            o.put("thread_root", pick(HOSTILE_STRINGS));
            o.put("reply_to", pick(HOSTILE_STRINGS));
        }
        if (random.nextInt(5) == 0) {
            ObjectNode author = (ObjectNode) o.get("author");
            author.put("id", pick(HOSTILE_STRINGS));
            author.put("handle", pick(HOSTILE_STRINGS));
            author.put("followers", random.nextBoolean() ? 10_000_000_000L : 0);
        }
        if (random.nextInt(5) == 0) {
            ObjectNode e = o.putObject("engagement");
            e.put("likes", 100_000_000_000L);
            e.put("shares", 0);
            e.putNull("comments");
            e.put("views", random.nextInt(1000));
        }
        if (random.nextInt(10) == 0) {
            // a few hostile topics and extra brands: a bounded fan-out, each with its own key
            ArrayNode topics = o.putArray("topics");
            for (int i = 0; i < 1 + random.nextInt(3); i++) {
                String t = pick(HOSTILE_STRINGS);
                t = t.substring(0, Math.min(t.length(), 100));
                topics.add(t);
                refused |= t.trim().chars().anyMatch(c -> c == '|' || Character.isISOControl(c));
            }
        }
        if (random.nextInt(10) == 0) {
            o.put("sentiment", pick(List.of(-1.0, 1.0, -0.0, 1e-300, 0.049999)));
        }
        return refused;
    }

    private static final List<String> TEXTS =
            List.of(
                    "ist super, danke!",
                    "nie wieder, furchtbar.",
                    "works fine for me",
                    "was kostet das eigentlich?",
                    "lieferung kam nicht an :(",
                    "#fail #nope",
                    "😡😡😡",
                    "meh");

    private String hostileId(int s) {
        String h = pick(HOSTILE_STRINGS);
        String id = h + "-" + s;
        // the schema allows 256 characters (code points)
        int cps = id.codePointCount(0, id.length());
        if (cps > 256) {
            String suffix = "-" + s;
            int keep = 256 - suffix.length();
            id = h.substring(0, h.offsetByCodePoints(0, keep)) + suffix;
        }
        return id;
    }

    /** At most {@code max} code points, as the schema counts. */
    private static String cut(String s, int max) {
        return s.codePointCount(0, s.length()) <= max
                ? s
                : s.substring(0, s.offsetByCodePoints(0, max));
    }

    private Instant recent() {
        return now.minusMillis(60_000 + random.nextLong(20 * 60_000));
    }

    /** {@code id}: as sent; one with an unpaired surrogate is read as its well-formed form. */
    private Hostile record(int s, ObjectNode o, Expect expect, Kind kind, String id) {
        String expected =
                id == null
                        ? null
                        : Unicode.wellFormedId(
                                id.replace(LONE_HIGH, "\ud800").replace(LONE_LOW, "\udc00"));
        return new Hostile(s, key(s), bytes(o), expect, kind, expected);
    }

    private static byte[] key(int s) {
        return utf8("r" + s);
    }

    private static String replaceField(ObjectNode o, String field, String rawJson) {
        ObjectNode copy = o.deepCopy();
        copy.remove(field);
        String json = bytesToString(copy);
        return "{\"" + field + "\":" + rawJson + (json.length() > 2 ? "," : "") + json.substring(1);
    }

    private static byte[] bytes(ObjectNode o) {
        return utf8(bytesToString(o));
    }

    /** The compact JSON, with the lone-surrogate markers turned into their JSON escapes. */
    private static String bytesToString(ObjectNode o) {
        try {
            return Json.mapper()
                    .writeValueAsString(o)
                    .replace(LONE_HIGH, "\\ud800")
                    .replace(LONE_LOW, "\\udc00");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
