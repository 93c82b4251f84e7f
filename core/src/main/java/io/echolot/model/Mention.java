package io.echolot.model;

import java.time.Instant;
import java.util.List;

/**
 * A post, comment or review that mentions a brand: the validated form of a mention event v1 ({@code
 * schemas/.../mention-v1.schema.json}). {@code createdAt} is the event time.
 *
 * <p>{@code brands} and {@code topics} are never null (empty when unknown); {@code lang}, {@code
 * sentiment}, {@code url}, {@code reshareOf}, {@code replyTo} and {@code threadRoot} may be null.
 *
 * <p>{@code threadRoot} is the id of the first post of the conversation when the source knows it (X
 * conversation id, Reddit submission, the Facebook/Instagram/YouTube post under which comments
 * sit). {@code brandAccount} is set by enrichment: the id of the brand whose own account posted it
 * (a brand reply, not a customer mention), null for customers.
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
        String replyTo,
        String threadRoot,
        String brandAccount) {

    /** A mention without thread root and not (yet) known as a brand's own post. */
    public Mention(
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
        this(
                id,
                platform,
                url,
                createdAt,
                text,
                lang,
                author,
                brands,
                topics,
                sentiment,
                engagement,
                reshareOf,
                replyTo,
                null,
                null);
    }

    /**
     * The conversation the mention belongs to: its thread root when known, else the post it replies
     * to, else itself. Without a thread root, chains deeper than one reply are not followed.
     */
    public String conversation() {
        if (threadRoot != null) {
            return threadRoot;
        }
        return replyTo != null ? replyTo : id;
    }

    /** Whether a brand's own account posted it. */
    public boolean isBrandPost() {
        return brandAccount != null;
    }

    /** This mention as posted by the account of {@code brand} (null: a customer). */
    public Mention withBrandAccount(String brand) {
        return new Mention(
                id,
                platform,
                url,
                createdAt,
                text,
                lang,
                author,
                brands,
                topics,
                sentiment,
                engagement,
                reshareOf,
                replyTo,
                threadRoot,
                brand);
    }

    /** Event time in epoch milliseconds. */
    public long eventTimeMillis() {
        return createdAt.toEpochMilli();
    }
}
