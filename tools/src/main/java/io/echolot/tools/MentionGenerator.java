package io.echolot.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolot.json.MentionJson;
import io.echolot.model.Author;
import io.echolot.model.Engagement;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import io.echolot.tools.TextBank.GeneratedBrand;
import io.echolot.tools.TextBank.Post;
import io.echolot.tools.TextBank.Tone;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded source of plausible mentions: several brands and topics, German and English posts with a
 * realistic mix of tones, platforms, authors whose activity and follower counts are heavy-tailed,
 * reshares of recent posts, and the scripted posts of a scenario (angry posts for a negative burst,
 * the reshare cascade of a viral post, a post about a side effect). The same seed and the same
 * sequence of calls give the same mentions.
 */
final class MentionGenerator {

    /** Share of German posts; the rest are English. */
    static final double GERMAN_SHARE = 0.6;

    /** Share of original posts that address the brand's account directly (@account). */
    static final double ADDRESSED_SHARE = 0.05;

    private static final Platform[] PLATFORMS = {
        Platform.X, Platform.X, Platform.X, Platform.INSTAGRAM, Platform.INSTAGRAM,
        Platform.FACEBOOK, Platform.REDDIT, Platform.YOUTUBE, Platform.FORUM, Platform.NEWS,
        Platform.REVIEW
    };

    /** Platforms where a post can be reshared as such. */
    private static final Platform[] RESHARE_PLATFORMS = {
        Platform.X, Platform.X, Platform.FACEBOOK, Platform.INSTAGRAM
    };

    private static final int AUTHORS = 5000;
    private static final int RECENT = 64;

    private final SplittableRandom random;
    private final long seed;
    private final double[] authorWeights;
    private final long[] followers;
    private final Map<String, ArrayDeque<Mention>> recent = new HashMap<>();
    private final Map<String, List<String>> cascades = new HashMap<>();
    private long sequence;

    MentionGenerator(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        SplittableRandom people = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        this.authorWeights = new double[AUTHORS];
        this.followers = new long[AUTHORS];
        double sum = 0;
        for (int a = 0; a < AUTHORS; a++) {
            // Zipf-like activity: a few accounts post very often, most rarely
            sum += 1.0 / Math.pow(a + 1, 0.9);
            authorWeights[a] = sum;
            // Pareto followers (alpha ≈ 1.1): median in the hundreds, a few with millions
            followers[a] =
                    (long) Math.min(20_000_000, 60 / Math.pow(1 - people.nextDouble(), 1 / 1.1));
        }
    }

    /** The next mention of the regular mix, at event time {@code at}. */
    Mention next(Instant at) {
        GeneratedBrand brand = brand();
        if (random.nextDouble() < 0.08) {
            Mention reshare = reshareOfRecent(brand.name(), at);
            if (reshare != null) {
                return reshare;
            }
        }
        String topic = weighted(brand.topicWeights());
        Post post = TextBank.pick(random, brand.name(), topic, language(), tone());
        if (random.nextDouble() < ADDRESSED_SHARE) {
            post =
                    new Post(
                            post.brand(),
                            post.topic(),
                            post.lang(),
                            post.tone(),
                            "@" + brand.account() + " " + post.text());
        }
        return remember(post(post, at, pickAuthor()));
    }

    /** Whether {@code m} addresses its brand's own account (and so expects an answer). */
    static boolean addressesBrand(Mention m) {
        if (m.brands().size() != 1 || m.reshareOf() != null) {
            return false;
        }
        return m.text().startsWith("@" + brand(m.brands().get(0)).account() + " ");
    }

    /** The brand's answer to {@code customer}, in the same conversation and language. */
    Mention reply(Mention customer, Instant at) {
        GeneratedBrand brand = brand(customer.brands().get(0));
        String lang = "de".equals(customer.lang()) ? "de" : "en";
        List<String> texts = TextBank.REPLIES.get(lang);
        String text = texts.get(random.nextInt(texts.size())).formatted(customer.author().handle());
        String id = nextId();
        return Mention.builder()
                .id(id)
                .platform(customer.platform())
                .url("https://example.org/" + customer.platform().wireName() + "/" + id)
                .createdAt(at)
                .text(text)
                .lang(lang)
                .author(new Author(brand.account(), brand.account(), 48_000))
                .brands(customer.brands())
                .topics(customer.topics())
                .engagement(new Engagement(1, 0, 0, 200))
                .replyTo(customer.id())
                .threadRoot(customer.conversation())
                .build();
    }

    /**
     * The customer's follow-up question under the brand's {@code answer} to {@code customer}, in
     * the same conversation: it names the brand but not its account.
     */
    Mention followUp(Mention customer, Mention answer, Instant at) {
        Post post =
                TextBank.FOLLOW_UPS
                        .get(customer.brands().get(0))
                        .get("de".equals(customer.lang()) ? "de" : "en");
        String id = nextId();
        return Mention.builder()
                .id(id)
                .platform(customer.platform())
                .url("https://example.org/" + customer.platform().wireName() + "/" + id)
                .createdAt(at)
                .text(post.text())
                .lang(post.lang())
                .author(customer.author())
                .brands(List.of(post.brand()))
                .topics(List.of(post.topic()))
                .sentiment(sentiment(post.tone()))
                .engagement(Engagement.NONE)
                .replyTo(answer.id())
                .threadRoot(answer.conversation())
                .build();
    }

    /** A customer's complaint addressed to {@code brand}'s account, from a small account. */
    Mention complaint(String brandName, Instant at) {
        Post post = TextBank.COMPLAINTS.get(brandName);
        if (post == null) {
            throw new IllegalArgumentException(
                    "no complaint written for brand "
                            + brandName
                            + "; use one of "
                            + TextBank.COMPLAINTS.keySet());
        }
        int author = pickAuthor();
        while (followers[author] >= 5_000) {
            author = pickAuthor(); // a small account: the normal, not the high-priority SLA
        }
        return post(post, at, author);
    }

    /** A clearly negative mention of {@code brand}, for a scripted negative burst. */
    Mention negative(String brandName, Instant at) {
        GeneratedBrand brand = brand(brandName);
        String topic = weighted(brand.topicWeights());
        Post post = TextBank.pick(random, brandName, topic, language(), Tone.NEGATIVE);
        return remember(post(post, at, pickAuthor()));
    }

    /**
     * A mention of a viral cascade of {@code brand}: the first one is the root post by a large
     * account, every later one a reshare of the root or of an earlier reshare.
     */
    Mention viral(String brandName, Instant at) {
        brand(brandName);
        List<String> cascade = cascades.computeIfAbsent(brandName, b -> new ArrayList<>());
        List<Post> roots = TextBank.VIRAL.get(brandName);
        Post root = roots.get(0);
        if (cascade.isEmpty()) {
            int author = largestAccount();
            Mention m = post(root, at, author);
            cascade.add(m.id());
            return m;
        }
        // most reshare the root, some a reshare (a cascade); all carry the root's text
        String of =
                random.nextDouble() < 0.7
                        ? cascade.get(0)
                        : cascade.get(random.nextInt(cascade.size()));
        Mention m = reshare(root, of, at, pickAuthor());
        if (cascade.size() < 10_000) {
            cascade.add(m.id());
        }
        return m;
    }

    /** A post of the emerging story about {@code brand}, each by an author of the regular mix. */
    Mention story(String brandName, Instant at) {
        List<Post> posts = TextBank.STORIES.get(brandName);
        if (posts == null) {
            throw new IllegalArgumentException("no story posts for brand " + brandName);
        }
        return remember(post(posts.get(random.nextInt(posts.size())), at, pickAuthor()));
    }

    /** A post about a side effect of {@code brand} (a pharma brand). */
    Mention adverseEvent(String brandName, Instant at) {
        List<Post> posts =
                TextBank.ADVERSE.stream().filter(p -> p.brand().equals(brandName)).toList();
        if (posts.isEmpty()) {
            throw new IllegalArgumentException("no adverse-event posts for brand " + brandName);
        }
        return post(posts.get(random.nextInt(posts.size())), at, pickAuthor());
    }

    /** A post that names a brand's homonym (FC Bayern, a Strider bike): no brand must match. */
    Mention decoy(Instant at) {
        String text = TextBank.DECOYS.get(random.nextInt(TextBank.DECOYS.size()));
        Mention m = post(new Post("", "", "de", Tone.NEUTRAL, text), at, pickAuthor());
        return withBrands(m, List.of(), List.of(), null);
    }

    /** The brands the generator writes about. */
    static List<String> brandNames() {
        return TextBank.BRANDS.stream().map(GeneratedBrand::name).toList();
    }

    private Mention post(Post post, Instant at, int author) {
        String id = nextId();
        Platform platform = PLATFORMS[random.nextInt(PLATFORMS.length)];
        return Mention.builder()
                .id(id)
                .platform(platform)
                .url("https://example.org/" + platform.wireName() + "/" + id)
                .createdAt(at)
                .text(TextBank.decorate(random, post))
                .lang(post.lang())
                .author(author(author))
                .brands(List.of(post.brand()))
                .topics(post.topic() == null ? List.of() : List.of(post.topic()))
                .sentiment(sentiment(post.tone()))
                .engagement(engagement(followers[author]))
                .build();
    }

    private Mention reshare(Post post, String of, Instant at, int author) {
        String id = nextId();
        Platform platform = RESHARE_PLATFORMS[random.nextInt(RESHARE_PLATFORMS.length)];
        return Mention.builder()
                .id(id)
                .platform(platform)
                .url("https://example.org/" + platform.wireName() + "/" + id)
                .createdAt(at)
                .text(post.text())
                .lang(post.lang())
                .author(author(author))
                .brands(List.of(post.brand()))
                .topics(List.of(post.topic()))
                .sentiment(sentiment(post.tone()))
                .engagement(engagement(followers[author] / 4))
                .reshareOf(of)
                .build();
    }

    private Mention reshareOfRecent(String brand, Instant at) {
        ArrayDeque<Mention> seen = recent.get(brand);
        if (seen == null || seen.isEmpty()) {
            return null;
        }
        Mention original = new ArrayList<>(seen).get(random.nextInt(seen.size()));
        String id = nextId();
        int author = pickAuthor();
        Platform platform = original.platform();
        return Mention.builder()
                .id(id)
                .platform(platform)
                .url("https://example.org/" + platform.wireName() + "/" + id)
                .createdAt(at)
                .text(original.text())
                .lang(original.lang())
                .author(author(author))
                .brands(original.brands())
                .topics(original.topics())
                .sentiment(original.sentiment())
                .engagement(engagement(followers[author] / 4))
                .reshareOf(original.id())
                .build();
    }

    private Mention remember(Mention m) {
        ArrayDeque<Mention> seen =
                recent.computeIfAbsent(m.brands().get(0), b -> new ArrayDeque<>());
        seen.addLast(m);
        if (seen.size() > RECENT) {
            seen.removeFirst();
        }
        return m;
    }

    private String nextId() {
        return "gen-" + seed + "-" + sequence++;
    }

    private GeneratedBrand brand() {
        double u = random.nextDouble();
        for (GeneratedBrand b : TextBank.BRANDS) {
            u -= b.share();
            if (u < 0) {
                return b;
            }
        }
        return TextBank.BRANDS.get(TextBank.BRANDS.size() - 1);
    }

    private static GeneratedBrand brand(String name) {
        return TextBank.BRANDS.stream()
                .filter(b -> b.name().equals(name))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "unknown brand '"
                                                + name
                                                + "', the generator knows "
                                                + brandNames()));
    }

    private String weighted(Map<String, Double> weights) {
        // sorted keys: map iteration order must not decide the outcome
        List<String> keys = weights.keySet().stream().sorted().toList();
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        double u = random.nextDouble() * total;
        for (String k : keys) {
            u -= weights.get(k);
            if (u < 0) {
                return k;
            }
        }
        return keys.get(keys.size() - 1);
    }

    private String language() {
        return random.nextDouble() < GERMAN_SHARE ? "de" : "en";
    }

    /** About a third positive, under half neutral, a fifth negative, as in brand conversation. */
    private Tone tone() {
        double u = random.nextDouble();
        return u < 0.33 ? Tone.POSITIVE : u < 0.8 ? Tone.NEUTRAL : Tone.NEGATIVE;
    }

    private Double sentiment(Tone tone) {
        if (random.nextDouble() < 0.3) {
            return null; // many feeds carry no score
        }
        double magnitude = 0.3 + random.nextDouble() * 0.6;
        double s =
                switch (tone) {
                    case POSITIVE -> magnitude;
                    case NEGATIVE -> -magnitude;
                    case NEUTRAL -> (random.nextDouble() - 0.5) * 0.08;
                };
        return Math.round(s * 100) / 100.0;
    }

    private int pickAuthor() {
        double u = random.nextDouble() * authorWeights[AUTHORS - 1];
        int lo = 0;
        int hi = AUTHORS - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (authorWeights[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private int largestAccount() {
        int best = 0;
        for (int a = 1; a < AUTHORS; a++) {
            if (followers[a] > followers[best]) {
                best = a;
            }
        }
        return best;
    }

    private Author author(int a) {
        return new Author("gen-author-" + a, "user" + a, followers[a]);
    }

    /**
     * Interactions grow with reach, with a long tail: most posts get a handful, a few thousands.
     */
    private Engagement engagement(long reach) {
        double base = Math.sqrt(reach + 1) * (0.05 + random.nextDouble() * 0.3);
        if (random.nextDouble() < 0.02) {
            base *= 20; // the rare post that takes off
        }
        long likes = (long) base;
        long views = (long) (reach * (0.1 + random.nextDouble()));
        return new Engagement(likes, likes / 8, likes / 5, views);
    }

    private static Mention withBrands(
            Mention m, List<String> brands, List<String> topics, Double sentiment) {
        return m.toBuilder()
                .brands(brands)
                .topics(topics)
                .sentiment(sentiment)
                .threadRoot(null)
                .brandAccount(null)
                .build();
    }

    /**
     * The event as a raw feed delivers it: no brands, topics, language or sentiment. Every
     * generated text names its brand, so brand rules find it again.
     */
    static byte[] toUnlabelledEvent(Mention m) {
        ObjectNode event = MentionJson.toEvent(m);
        event.remove(List.of("brands", "topics", "lang", "sentiment"));
        return MentionJson.bytes(event);
    }

    static byte[] toEvent(Mention m) {
        return MentionJson.bytes(MentionJson.toEvent(m));
    }
}
