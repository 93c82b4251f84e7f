package io.echolot.serde;

import static org.assertj.core.api.Assertions.assertThat;

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
}
