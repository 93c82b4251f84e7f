package io.echolot.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolot.model.Author;
import io.echolot.model.Engagement;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import io.echolot.serde.MentionJson;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A simple, seeded source of plausible mentions: a few brands and topics, German and English texts,
 * a heavy-tailed follower distribution and a little out-of-order jitter. Deterministic for a given
 * seed and sequence of event times.
 */
final class MentionGenerator {

    record Brand(
            String name,
            List<String> topics,
            List<String> de,
            List<String> en,
            List<String> angry) {}

    static final List<Brand> BRANDS =
            List.of(
                    new Brand(
                            "cardiofit",
                            List.of("wirkung", "nebenwirkung", "preis", "lieferung"),
                            List.of(
                                    "Cardiofit hilft mir wirklich, seit Wochen stabiler Blutdruck.",
                                    "Hat jemand Erfahrung mit Cardiofit und Schwindel?",
                                    "Cardiofit schon wieder teurer geworden, ärgerlich.",
                                    "Apotheke sagt, Cardiofit ist nicht lieferbar. Was nun?"),
                            List.of(
                                    "Cardiofit works well for me so far.",
                                    "Anyone else getting headaches from Cardiofit?"),
                            List.of(
                                    "Cardiofit schon wieder teurer geworden, ärgerlich.",
                                    "Apotheke sagt, Cardiofit ist nicht lieferbar. Was nun?",
                                    "Cardiofit ist seit Wochen nirgends lieferbar, eine Zumutung!")),
                    new Brand(
                            "strider",
                            List.of("app", "schuhe", "service"),
                            List.of(
                                    "Die neuen Strider Laufschuhe sind super bequem!",
                                    "Strider App stürzt seit dem Update ständig ab.",
                                    "Kundenservice von Strider antwortet nicht. Enttäuschend."),
                            List.of(
                                    "Love my new Strider shoes, best run this year.",
                                    "The Strider app keeps crashing after the update.",
                                    "Strider support never replied to my email."),
                            List.of(
                                    "Strider App stürzt seit dem Update ständig ab.",
                                    "Kundenservice von Strider antwortet nicht. Enttäuschend.",
                                    "The Strider app keeps crashing after the update.",
                                    "Die Strider App ist seit dem Update völlig unbrauchbar, absolut enttäuschend!")));

    private static final Platform[] PLATFORMS = {
        Platform.X, Platform.X, Platform.X, Platform.INSTAGRAM, Platform.FACEBOOK,
        Platform.REDDIT, Platform.YOUTUBE, Platform.FORUM, Platform.NEWS, Platform.REVIEW
    };

    private static final int AUTHORS = 2000;

    private final SplittableRandom random;
    private final long seed;
    private long sequence;

    MentionGenerator(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** The next mention, with event time {@code at} minus up to {@code maxJitterMs}. */
    Mention next(Instant at, long maxJitterMs) {
        long n = sequence++;
        Brand brand = BRANDS.get(random.nextInt(BRANDS.size()));
        boolean german = random.nextDouble() < 0.6;
        List<String> texts = german ? brand.de() : brand.en();
        String text = texts.get(random.nextInt(texts.size()));
        String topic = brand.topics().get(random.nextInt(brand.topics().size()));
        int author = random.nextInt(AUTHORS);
        // Pareto-like: most accounts are small, a few are huge
        long followers = (long) Math.min(5_000_000, 50 / Math.pow(1 - random.nextDouble(), 1.2));
        Platform platform = PLATFORMS[random.nextInt(PLATFORMS.length)];
        long likes = (long) (random.nextDouble() < 0.7 ? random.nextInt(5) : random.nextInt(500));
        Double sentiment =
                random.nextDouble() < 0.3
                        ? null
                        : Math.round((random.nextDouble() * 2 - 1) * 100) / 100.0;
        String id = "gen-" + seed + "-" + n;
        Instant eventTime = maxJitterMs > 0 ? at.minusMillis(random.nextLong(maxJitterMs)) : at;
        return new Mention(
                id,
                platform,
                "https://example.org/" + platform.wireName() + "/" + id,
                eventTime,
                text,
                german ? "de" : "en",
                new Author("gen-author-" + author, "user" + author, followers),
                List.of(brand.name()),
                List.of(topic),
                sentiment,
                new Engagement(likes, likes / 10, likes / 5, likes * 20),
                null,
                null);
    }

    /**
     * The event as a raw feed delivers it: no brands, topics, language or sentiment. Every
     * generated text names its brand, so brand rules find it again.
     */
    /** A clearly negative mention of {@code brand}, for scripted bursts. */
    Mention negative(String brandName, Instant at, long maxJitterMs) {
        Brand brand =
                BRANDS.stream().filter(b -> b.name().equals(brandName)).findFirst().orElseThrow();
        Mention m = next(at, maxJitterMs);
        String text = brand.angry().get(random.nextInt(brand.angry().size()));
        return new Mention(
                m.id(),
                m.platform(),
                m.url(),
                m.createdAt(),
                text,
                null,
                m.author(),
                List.of(brand.name()),
                List.of(),
                -0.7,
                m.engagement(),
                null,
                null);
    }

    static byte[] toUnlabelledEvent(Mention m) {
        ObjectNode event = MentionJson.toEvent(m);
        event.remove(List.of("brands", "topics", "lang", "sentiment"));
        return MentionJson.bytes(event);
    }

    static byte[] toEvent(Mention m) {
        ObjectNode event = MentionJson.toEvent(m);
        return MentionJson.bytes(event);
    }
}
