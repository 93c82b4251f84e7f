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

    /**
     * A builder of a mention; defaults: no brands, no topics, everything else null. Set at least
     * id, platform, createdAt and text.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this mention, for changing several fields at once. */
    public Builder toBuilder() {
        return new Builder()
                .id(id)
                .platform(platform)
                .url(url)
                .createdAt(createdAt)
                .text(text)
                .lang(lang)
                .author(author)
                .brands(brands)
                .topics(topics)
                .sentiment(sentiment)
                .engagement(engagement)
                .reshareOf(reshareOf)
                .replyTo(replyTo)
                .threadRoot(threadRoot)
                .brandAccount(brandAccount);
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
        return toBuilder().brandAccount(brand).build();
    }

    /** This mention with its language tag (null: unknown). */
    public Mention withLang(String lang) {
        return toBuilder().lang(lang).build();
    }

    /** This mention with its sentiment score (null: not scored). */
    public Mention withSentiment(Double sentiment) {
        return toBuilder().sentiment(sentiment).build();
    }

    /** Event time in epoch milliseconds. */
    public long eventTimeMillis() {
        return createdAt.toEpochMilli();
    }

    /** Names what a mention is made of. */
    public static final class Builder {
        private String id;
        private Platform platform;
        private String url;
        private Instant createdAt;
        private String text;
        private String lang;
        private Author author;
        private List<String> brands = List.of();
        private List<String> topics = List.of();
        private Double sentiment;
        private Engagement engagement;
        private String reshareOf;
        private String replyTo;
        private String threadRoot;
        private String brandAccount;

        private Builder() {}

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder platform(Platform platform) {
            this.platform = platform;
            return this;
        }

        public Builder url(String url) {
            this.url = url;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder lang(String lang) {
            this.lang = lang;
            return this;
        }

        public Builder author(Author author) {
            this.author = author;
            return this;
        }

        public Builder brands(List<String> brands) {
            this.brands = brands;
            return this;
        }

        public Builder topics(List<String> topics) {
            this.topics = topics;
            return this;
        }

        public Builder sentiment(Double sentiment) {
            this.sentiment = sentiment;
            return this;
        }

        public Builder engagement(Engagement engagement) {
            this.engagement = engagement;
            return this;
        }

        public Builder reshareOf(String reshareOf) {
            this.reshareOf = reshareOf;
            return this;
        }

        public Builder replyTo(String replyTo) {
            this.replyTo = replyTo;
            return this;
        }

        public Builder threadRoot(String threadRoot) {
            this.threadRoot = threadRoot;
            return this;
        }

        public Builder brandAccount(String brandAccount) {
            this.brandAccount = brandAccount;
            return this;
        }

        public Mention build() {
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
                    brandAccount);
        }
    }
}
