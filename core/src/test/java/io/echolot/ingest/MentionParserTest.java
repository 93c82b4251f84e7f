package io.echolot.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.index.MentionDocuments;
import io.echolot.json.Json;
import io.echolot.json.MentionJson;
import io.echolot.json.Unicode;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MentionParserTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private final MentionParser parser =
            new MentionParser(4096, Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));

    private MentionParser.Result parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsEveryValidExampleInTheSchemasModule() throws IOException {
        Path examples = Path.of("..", "schemas", "examples");
        try (Stream<Path> files = Files.list(examples)) {
            files.filter(f -> f.getFileName().toString().startsWith("mention-"))
                    .forEach(
                            f -> {
                                MentionParser.Result r = parserAt(f).parse(read(f));
                                boolean invalid = f.getFileName().toString().contains("invalid");
                                assertThat(r.ok()).as(f + " -> " + r.error()).isEqualTo(!invalid);
                            });
        }
    }

    private static MentionParser parserAt(Path f) {
        // the examples are dated 2026-11-23; judge them from that day
        return new MentionParser(
                65536,
                Duration.ofMinutes(10),
                Clock.fixed(Instant.parse("2026-11-23T23:00:00Z"), ZoneOffset.UTC));
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void readsAllFieldsAndNormalisesBrandsAndTopics() {
        MentionParser.Result r =
                parse(
                        """
                        {"id":"x:1","platform":"twitter","url":"https://x.com/1","created_at":"2026-11-23T12:30:00+01:00",
                         "text":"Hallo","lang":"DE","author":{"id":"a1","handle":"h","followers":42},
                         "brands":[" Bayer","bayer","Aspirin"],"topics":["All","Preis"],"sentiment":-0.5,
                         "engagement":{"likes":1,"shares":2,"comments":3,"views":4},"reshare_of":"x:0"}
                        """);
        assertThat(r.error()).isNull();
        Mention m = r.mention();
        assertThat(m.platform()).isEqualTo(Platform.X);
        assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-11-23T11:30:00Z"));
        assertThat(m.lang()).isEqualTo("de");
        assertThat(m.brands()).containsExactly("bayer", "aspirin");
        assertThat(m.topics()).containsExactly("preis");
        assertThat(m.sentiment()).isEqualTo(-0.5);
        assertThat(m.engagement().total()).isEqualTo(6);
        assertThat(m.author().followers()).isEqualTo(42);
        assertThat(m.reshareOf()).isEqualTo("x:0");
        assertThat(m.replyTo()).isNull();
    }

    @Test
    void refusesWhatIsNotJson() {
        assertThat(parse("{\"id\": ").error()).startsWith("not valid JSON");
        assertThat(parse("[1,2]").error()).isEqualTo("not a JSON object");
        assertThat(parser.parse(new byte[0]).error()).isEqualTo("empty record");
        assertThat(parser.parse(null).error()).isEqualTo("empty record");
    }

    @Test
    void namesTheMissingFieldAndTheWrongType() {
        String noAuthor =
                "{\"id\":\"x\",\"platform\":\"x\",\"created_at\":\"2026-11-23T10:00:00Z\",\"text\":\"t\"}";
        assertThat(parse(noAuthor).error()).startsWith("schema mention-v1").contains("author");
        String badType =
                "{\"id\":\"x\",\"platform\":\"x\",\"created_at\":\"2026-11-23T10:00:00Z\",\"text\":\"t\",\"author\":{\"id\":\"a\",\"followers\":\"many\"}}";
        assertThat(parse(badType).error()).contains("followers");
        String badPlatform =
                noAuthor.replace("}", ",\"author\":{\"id\":\"a\"}}")
                        .replace("\"x\",\"created", "\"myspace\",\"created");
        assertThat(parse(badPlatform).error()).contains("platform");
    }

    @Test
    void refusesTimestampsFarInTheFutureOrWithoutOffset() {
        String tpl =
                "{\"id\":\"x\",\"platform\":\"x\",\"created_at\":\"%s\",\"text\":\"t\",\"author\":{\"id\":\"a\"}}";
        assertThat(parse(tpl.formatted("2026-11-23T12:09:00Z")).ok()).isTrue();
        assertThat(parse(tpl.formatted("2026-11-23T12:11:00Z")).error()).contains("in the future");
        assertThat(parse(tpl.formatted("1970-01-01T00:00:00Z")).error()).contains("before 2000");
        assertThat(parse(tpl.formatted("2026-11-23T12:00:00")).error()).contains("with offset");
        assertThat(parse(tpl.formatted("yesterday")).error()).contains("created_at");
    }

    @Test
    void refusesOversizedRecordsUnread() {
        byte[] big = new byte[4097];
        assertThat(parser.parse(big).error()).contains("larger than the limit of 4096");
    }

    @Test
    void refusesAbsurdNesting() {
        String deep = "{\"a\":".repeat(200) + "1" + "}".repeat(200);
        assertThat(parse(deep).error()).startsWith("not valid JSON");
    }

    private static final String VALID =
            "{\"id\":\"x:1\",\"platform\":\"x\",\"created_at\":\"2026-11-23T10:00:00Z\","
                    + "\"text\":\"t\",\"author\":{\"id\":\"a\",\"followers\":1},"
                    + "\"sentiment\":0.5,\"engagement\":{\"likes\":1,\"shares\":1,\"comments\":1,\"views\":1}}";

    /** VALID with the value at {@code path} (dot-separated) replaced by raw JSON {@code value}. */
    private static String with(String path, String value) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode o =
                    (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(VALID);
            String[] parts = path.split("\\.");
            com.fasterxml.jackson.databind.node.ObjectNode parent = o;
            for (int i = 0; i < parts.length - 1; i++) {
                parent = (com.fasterxml.jackson.databind.node.ObjectNode) parent.get(parts[i]);
            }
            String marker = "@@" + parts[parts.length - 1] + "@@";
            parent.put(parts[parts.length - 1], marker);
            return o.toString().replace("\"" + marker + "\"", value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void refusesAHugeExponentInThePlatformInsteadOfThrowing() {
        MentionParser.Result r = parse(with("platform", "1e400"));
        assertThat(r.ok()).isFalse();
        assertThat(r.error())
                .isEqualTo(
                        "number out of range at /platform: too large for a 64-bit floating-point number");
    }

    @Test
    void refusesOrReadsEveryOutOfRangeNumberInEveryFieldWithoutThrowing() {
        List<String> fields =
                List.of(
                        "schema_version",
                        "id",
                        "platform",
                        "created_at",
                        "text",
                        "lang",
                        "url",
                        "author.id",
                        "author.followers",
                        "sentiment",
                        "engagement.likes",
                        "engagement.shares",
                        "engagement.comments",
                        "engagement.views");
        List<String> numbers =
                List.of(
                        "1e400",
                        "-1e400",
                        "1E+999999999",
                        "1e-400",
                        "123456789012345678901234567890123456789012345678901234567890",
                        "-123456789012345678901234567890123456789012345678901234567890");
        for (String field : fields) {
            String leaf = field.substring(field.lastIndexOf('.') + 1);
            for (String number : numbers) {
                String json = with(field, number);
                MentionParser.Result r = parse(json);
                boolean underflowToZero =
                        number.equals("1e-400")
                                && (leaf.equals("sentiment")
                                        || field.startsWith("engagement.")
                                        || leaf.equals("followers"));
                if (underflowToZero) {
                    // too small for a double: read as 0, which every one of these fields allows
                    assertThat(r.error()).as(json).isNull();
                } else {
                    assertThat(r.ok()).as(json).isFalse();
                    assertThat(r.error()).as(json).contains(leaf);
                }
            }
        }
        MentionParser.Result zero = parse(with("engagement.likes", "1e-400"));
        assertThat(zero.mention().engagement().likes()).isZero();
        assertThat(parse(with("sentiment", "1e-400")).mention().sentiment()).isZero();
    }

    @Test
    void refusesDuplicateKeysNamingTheKey() {
        String twice = VALID.replace("{\"id\":\"x:1\",", "{\"id\":\"x:1\",\"id\":\"x:2\",");
        MentionParser.Result r = parse(twice);
        assertThat(r.error()).startsWith("not valid JSON").contains("Duplicate field 'id'");
        String nested = VALID.replace("\"followers\":1", "\"followers\":1,\"followers\":1000000");
        assertThat(parse(nested).error()).contains("Duplicate field 'followers'");
    }

    @Test
    void refusesASecondValueAfterTheEvent() {
        assertThat(parse(VALID + VALID).error()).startsWith("not valid JSON");
        assertThat(parse(VALID + " garbage").error()).startsWith("not valid JSON");
        assertThat(parse(VALID + "\n").ok()).isTrue();
    }

    @Test
    void refusesAHundredThousandNestedArraysWithoutOverflowingTheStack() {
        MentionParser roomy =
                new MentionParser(
                        1 << 20, Duration.ofMinutes(10), Clock.fixed(NOW, ZoneOffset.UTC));
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThat(roomy.parse(deep.getBytes(StandardCharsets.UTF_8)).error())
                .startsWith("not valid JSON")
                .contains("nesting depth");
        String deepField = VALID.replace("\"text\":\"t\"", "\"text\":" + deep);
        assertThat(roomy.parse(deepField.getBytes(StandardCharsets.UTF_8)).error())
                .startsWith("not valid JSON")
                .contains("nesting depth");
        String unclosed = "{\"a\":" + "[".repeat(100_000);
        assertThat(roomy.parse(unclosed.getBytes(StandardCharsets.UTF_8)).error())
                .startsWith("not valid JSON");
    }

    @Test
    void refusesInvalidUtf8NamingTheByte() {
        byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
        int t = VALID.indexOf("\"t\"") + 1;
        for (byte[] bad :
                List.of(
                        new byte[] {(byte) 0xFF},
                        new byte[] {(byte) 0xC3},
                        // overlong "/", which Jackson alone would read
                        new byte[] {(byte) 0xC0, (byte) 0xAF},
                        // U+D800 encoded as if it were a character (CESU-8), likewise
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                        new byte[] {(byte) 0xE2, (byte) 0x28, (byte) 0xA1})) {
            byte[] b = new byte[valid.length + bad.length - 1];
            System.arraycopy(valid, 0, b, 0, t);
            System.arraycopy(bad, 0, b, t, bad.length);
            System.arraycopy(valid, t + 1, b, t + bad.length, valid.length - t - 1);
            MentionParser.Result r = parser.parse(b);
            assertThat(r.ok()).as(java.util.Arrays.toString(bad)).isFalse();
            assertThat(r.error()).isEqualTo("not valid UTF-8 at byte " + t);
        }
        byte[] cut = "{\"text\":\"\u00e4\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(parser.parse(java.util.Arrays.copyOf(cut, 10)).error())
                .isEqualTo("not valid UTF-8 at byte 9");
    }

    @Test
    void readsAUtf8ByteOrderMarkAsNothing() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[bom.length + valid.length];
        System.arraycopy(bom, 0, withBom, 0, bom.length);
        System.arraycopy(valid, 0, withBom, bom.length, valid.length);
        MentionParser.Result r = parser.parse(withBom);
        assertThat(r.error()).isNull();
        assertThat(r.mention()).isEqualTo(parse(VALID).mention());
        // a byte-order mark in the middle is not white space
        assertThat(parse(VALID.replace(",\"text\"", ",\uFEFF\"text\"")).error())
                .startsWith("not valid JSON");
    }

    @Test
    void refusesATruncatedRecordAtEveryLength() {
        byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
        for (int len = 1; len < valid.length; len++) {
            MentionParser.Result r = parser.parse(java.util.Arrays.copyOf(valid, len));
            assertThat(r.ok()).as("first %d bytes", len).isFalse();
            assertThat(r.error()).as("first %d bytes", len).isNotBlank();
        }
    }

    @Test
    void turnsWhateverALibraryThrowsIntoAReason() {
        Clock broken =
                new Clock() {
                    @Override
                    public java.time.ZoneId getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(java.time.ZoneId zone) {
                        return this;
                    }

                    @Override
                    public Instant instant() {
                        throw new ArithmeticException("long overflow");
                    }
                };
        MentionParser.Result r =
                new MentionParser(4096, Duration.ofMinutes(10), broken)
                        .parse(VALID.getBytes(StandardCharsets.UTF_8));
        assertThat(r.ok()).isFalse();
        assertThat(r.error())
                .isEqualTo("cannot read the record: ArithmeticException: long overflow");
    }

    @Test
    void turnsAStackOverflowIntoAReason() {
        Clock deep =
                new Clock() {
                    @Override
                    public java.time.ZoneId getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(java.time.ZoneId zone) {
                        return this;
                    }

                    @Override
                    public Instant instant() {
                        throw new StackOverflowError();
                    }
                };
        MentionParser.Result r =
                new MentionParser(4096, Duration.ofMinutes(10), deep)
                        .parse(VALID.getBytes(StandardCharsets.UTF_8));
        assertThat(r.error()).isEqualTo("nested too deeply to read (StackOverflowError)");
    }

    @Test
    void replacesUnpairedSurrogatesSoThatEveryWriterCanWriteTheMention() throws IOException {
        String json =
                "{\"id\":\"x:\\ud800\",\"platform\":\"x\",\"url\":\"https://x.com/\\udc00\","
                        + "\"created_at\":\"2026-11-23T10:00:00Z\",\"text\":\"a\\ud83d b \\ud83d\\ude00 \\ude00\","
                        + "\"author\":{\"id\":\"\\udbff\",\"handle\":\"h\\ud800\"},\"brands\":[\"acme\\udfff\"],"
                        + "\"topics\":[\"\\ud800\"],\"reply_to\":\"r\\ud800\",\"thread_root\":\"root\\ud800\"}";
        MentionParser.Result r = parse(json);
        assertThat(r.error()).isNull();
        Mention m = r.mention();
        assertThat(m.text()).isEqualTo("a\uFFFD b \uD83D\uDE00 \uFFFD");
        assertThat(m.url()).isEqualTo("https://x.com/\uFFFD");
        assertThat(m.author().handle()).isEqualTo("h\uFFFD");
        assertThat(m.brands()).containsExactly("acme\uFFFD");
        assertThat(m.topics()).containsExactly("\uFFFD");
        assertThat(m.id()).matches("x:\uFFFD~[0-9a-f]{16}");
        assertThat(m.author().id()).matches("\uFFFD~[0-9a-f]{16}");
        assertThat(m.replyTo()).matches("r\uFFFD~[0-9a-f]{16}");
        assertThat(m.threadRoot()).matches("root\uFFFD~[0-9a-f]{16}");
        for (String s :
                List.of(m.id(), m.text(), m.url(), m.author().id(), m.replyTo(), m.threadRoot())) {
            assertThat(Unicode.hasUnpairedSurrogate(s)).as(s).isFalse();
        }

        // what the sinks write (the mentions index, the late topic, the dead-letter topic) is
        // strict UTF-8 that reads back to exactly these strings
        io.echolot.index.DocumentRequest request = new MentionDocuments().convert(m);
        JsonNode document = Json.mapper().readTree(strictUtf8(request.source()));
        assertThat(document.get("id").asText()).isEqualTo(m.id());
        assertThat(document.get("text").asText()).isEqualTo(m.text());
        assertThat(document.get("url").asText()).isEqualTo(m.url());
        assertThat(document.get("author").get("id").asText()).isEqualTo(m.author().id());
        assertThat(document.get("thread_root").asText()).isEqualTo(m.threadRoot());
        assertThat(strictUtf8(request.id().getBytes(StandardCharsets.UTF_8))).isEqualTo(m.id());
        byte[] event = MentionJson.bytes(MentionJson.toEvent(m));
        strictUtf8(event);
        assertThat(parser.parse(event).mention()).isEqualTo(m);
    }

    @Test
    void aMentionWithUnpairedSurrogatesWouldNotReachTheSinksIntact() throws IOException {
        // the contrast to the test above: built without the parser, nothing repairs the strings
        Mention raw =
                io.echolot.testing.Mentions.mention(
                        "x:\ud800", "acme", List.of(), Instant.parse("2026-11-23T10:00:00Z"));
        JsonNode document = Json.mapper().readTree(MentionJson.toDocument(raw));
        // Jackson writes an escape that every reader turns back into the unpaired surrogate
        assertThat(Unicode.hasUnpairedSurrogate(document.get("id").asText())).isTrue();
        // and the id as UTF-8 (Kafka keys, the sink's checkpointed requests) silently changes
        assertThat(new String(raw.id().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .isNotEqualTo(raw.id());
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new AssertionError("not strict UTF-8", e);
        }
    }

    @Test
    void givesAnIdWithAnUnpairedSurrogateTheSameNewIdEveryTimeAndKeepsDistinctIdsApart() {
        String tpl = VALID.replace("\"x:1\"", "\"%s\"");
        String a1 = parse(tpl.formatted("x:\\ud800")).mention().id();
        String a2 = parse(tpl.formatted("x:\\ud800")).mention().id();
        String b = parse(tpl.formatted("x:\\ud801")).mention().id();
        assertThat(a1).isEqualTo(a2).isNotEqualTo(b);
        // a reply names the id its parent was given
        String reply = VALID.replace("\"text\"", "\"reply_to\":\"x:\\ud800\",\"text\"");
        assertThat(parse(reply).mention().replyTo()).isEqualTo(a1);
        // well-formed ids are left exactly as they are
        assertThat(parse(tpl.formatted("x:\\ud83d\\ude00")).mention().id())
                .isEqualTo("x:\uD83D\uDE00");
    }

    @Test
    void normalisesTheLanguageToAKnownPrimaryTag() {
        String tpl = VALID.replace("\"text\"", "\"lang\":\"%s\",\"text\"");
        assertThat(parse(tpl.formatted("de-AT")).mention().lang()).isEqualTo("de");
        assertThat(parse(tpl.formatted("EN-gb")).mention().lang()).isEqualTo("en");
        assertThat(parse(tpl.formatted("deu")).mention().lang()).isEqualTo("de");
        assertThat(parse(tpl.formatted("und")).mention().lang()).isEqualTo("und");
        assertThat(parse(tpl.formatted("xx")).mention().lang()).isEqualTo("und");
        assertThat(parse(tpl.formatted("qaa-x1234567")).mention().lang()).isEqualTo("und");
        assertThat(parse(VALID).mention().lang()).isNull();
    }

    @Test
    void refusesEventsWithMoreBrandsOrTopicsThanTheLimits() {
        MentionParser limited =
                new MentionParser(
                        4096,
                        Duration.ofMinutes(10),
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        new io.echolot.ingest.FanOutLimits(2, 3));
        String tpl = VALID.replace("\"text\"", "\"brands\":[%s],\"topics\":[%s],\"text\"");
        java.util.function.Function<String, MentionParser.Result> p =
                json -> limited.parse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(p.apply(tpl.formatted("\"a\",\"b\"", "\"t1\",\"t2\",\"t3\"")).ok()).isTrue();
        assertThat(p.apply(tpl.formatted("\"a\",\"b\",\"c\"", "")).error())
                .isEqualTo("3 brands, more than the limit of 2 per mention");
        assertThat(p.apply(tpl.formatted("\"a\"", "\"t1\",\"t2\",\"t3\",\"t4\"")).error())
                .isEqualTo("4 topics, more than the limit of 3 per mention");
        // counted as the fan-out: after de-duplication and without the reserved topic "all"
        assertThat(
                        p.apply(
                                        tpl.formatted(
                                                "\"a\",\"A \",\"b\"",
                                                "\"all\",\"t1\",\"T1\",\"t2\",\"t3\""))
                                .ok())
                .isTrue();
    }
}
