package io.echolot.model;

import java.time.Instant;
import java.util.List;

/**
 * A post, comment or review that mentions a brand: the validated form of a mention event v1 ({@code
 * schemas/.../mention-v1.schema.json}). {@code createdAt} is the event time.
 *
 * <p>{@code brands} and {@code topics} are never null (empty when unknown); {@code lang}, {@code
 * sentiment}, {@code url}, {@code reshareOf} and {@code replyTo} may be null.
 */
public record Mention(
        String id,
        Platform platform,
        String url,
        Instant createdAt,
        String text,
        String lang,
        Author author,
        List<String> brands,
        List<String> topics,
        Double sentiment,
        Engagement engagement,
        String reshareOf,
        String replyTo) {

    /** Event time in epoch milliseconds. */
    public long eventTimeMillis() {
        return createdAt.toEpochMilli();
    }
}
