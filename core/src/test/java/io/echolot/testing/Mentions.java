package io.echolot.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolot.deadletter.RawRecord;
import io.echolot.json.MentionJson;
import io.echolot.model.Author;
import io.echolot.model.Engagement;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Builds mentions and their raw Kafka records for tests. */
public final class Mentions {

    private Mentions() {}

    public static Mention mention(String id, String brand, List<String> topics, Instant at) {
        return new Mention(
                id,
                Platform.X,
                "https://x.com/a/status/" + id,
                at,
                "text of " + id,
                "de",
                new Author("author-" + id, "handle-" + id, 100),
                List.of(brand),
                topics,
                null,
                new Engagement(1, 0, 0, 10),
                null,
                null);
    }

    /** The same mention with another text. */
    public static Mention withText(Mention m, String text) {
        return new Mention(
                m.id(),
                m.platform(),
                m.url(),
                m.createdAt(),
                text,
                m.lang(),
                m.author(),
                m.brands(),
                m.topics(),
                m.sentiment(),
                m.engagement(),
                m.reshareOf(),
                m.replyTo(),
                m.threadRoot(),
                m.brandAccount());
    }

    /** The same mention with an upstream sentiment score. */
    public static Mention withSentiment(Mention m, double sentiment) {
        return new Mention(
                m.id(),
                m.platform(),
                m.url(),
                m.createdAt(),
                m.text(),
                m.lang(),
                m.author(),
                m.brands(),
                m.topics(),
                sentiment,
                m.engagement(),
                m.reshareOf(),
                m.replyTo());
    }

    /** The same mention as a reshare of {@code original}. */
    public static Mention reshareOf(Mention m, String original) {
        return new Mention(
                m.id(),
                m.platform(),
                m.url(),
                m.createdAt(),
                m.text(),
                m.lang(),
                m.author(),
                m.brands(),
                m.topics(),
                m.sentiment(),
                m.engagement(),
                original,
                m.replyTo(),
                m.threadRoot(),
                m.brandAccount());
    }

    /** The same mention in a thread: replying to {@code replyTo}, under {@code threadRoot}. */
    public static Mention inThread(Mention m, String replyTo, String threadRoot) {
        return new Mention(
                m.id(),
                m.platform(),
                m.url(),
                m.createdAt(),
                m.text(),
                m.lang(),
                m.author(),
                m.brands(),
                m.topics(),
                m.sentiment(),
                m.engagement(),
                m.reshareOf(),
                replyTo,
                threadRoot,
                m.brandAccount());
    }

    public static byte[] eventBytes(Mention m) {
        ObjectNode event = MentionJson.toEvent(m);
        return MentionJson.bytes(event);
    }

    public static RawRecord raw(byte[] value, long offset) {
        return new RawRecord("mentions", 0, offset, 0L, null, value);
    }

    public static RawRecord raw(String value, long offset) {
        return raw(value.getBytes(StandardCharsets.UTF_8), offset);
    }

    public static RawRecord raw(Mention m, long offset) {
        return raw(eventBytes(m), offset);
    }
}
