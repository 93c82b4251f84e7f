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
        return Mention.builder()
                .id(id)
                .platform(Platform.X)
                .url("https://x.com/a/status/" + id)
                .createdAt(at)
                .text("text of " + id)
                .lang("de")
                .author(new Author("author-" + id, "handle-" + id, 100))
                .brands(List.of(brand))
                .topics(topics)
                .engagement(new Engagement(1, 0, 0, 10))
                .build();
    }

    /** The same mention with another text. */
    public static Mention withText(Mention m, String text) {
        return m.toBuilder().text(text).build();
    }

    /** The same mention with an upstream sentiment score. */
    public static Mention withSentiment(Mention m, double sentiment) {
        return m.toBuilder().sentiment(sentiment).threadRoot(null).brandAccount(null).build();
    }

    /** The same mention as a reshare of {@code original}. */
    public static Mention reshareOf(Mention m, String original) {
        return m.toBuilder().reshareOf(original).build();
    }

    /** The same mention in a thread: replying to {@code replyTo}, under {@code threadRoot}. */
    public static Mention inThread(Mention m, String replyTo, String threadRoot) {
        return m.toBuilder().replyTo(replyTo).threadRoot(threadRoot).build();
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
