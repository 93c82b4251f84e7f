package io.echolot.explain;

import io.echolot.alert.AlertDrivers;
import io.echolot.alert.Driver;
import io.echolot.alert.ReachPost;
import io.echolot.language.LanguageTags;
import io.echolot.model.Mention;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The features of a mention and the bounded bookkeeping around them: counting into a window's
 * {@link WindowEvidence}, folding a window into a {@link KeyBaseline}, and scoring a window's
 * features against the baseline ({@link #explain}). Feature keys are {@code kind:value}.
 */
public final class Features {

    /**
     * Feature counts kept per window (the most frequent); pruned back to this at twice as many.
     * Fewer (128) doubled the drivers named on organic spikes: the long tail a window drops is
     * missing from the baseline, and then looks new.
     */
    public static final int CAPACITY = 256;

    /** Count-min sketch: rows and counters per row (6 KiB of floats). */
    public static final int DEPTH = 3;

    public static final int WIDTH = 512;

    /**
     * Bloom filter words per filter (2 × 2 KiB of bits), rotated after {@link #BLOOM_ADDS} adds:
     * about 2 % false "seen before" at the rotation, and the last 2,000 to 4,000 authors
     * remembered.
     */
    public static final int BLOOM_WORDS = 256;

    static final int BLOOM_ADDS = 2_000;
    private static final int BLOOM_HASHES = 4;

    /** Distinct authors per window checked against the baseline for the first-time share. */
    public static final int AUTHOR_SAMPLE = 512;

    /** Top posts by reach kept per window and reported per alert. */
    public static final int TOP_REACH = 5;

    /** An account with fewer followers counts as low-follower for coordination. */
    public static final long LOW_FOLLOWERS = 100;

    /** Posts of low-follower accounts with one URL or text that make a coordinated group. */
    public static final int MIN_GROUP = 5;

    /** A text fingerprint needs this many distinct terms (short texts are alike by nature). */
    static final int MIN_FINGERPRINT_TERMS = 4;

    /** Drivers below p &lt; 0.001 (G² 10.83, one degree of freedom) are not reported. */
    public static final double MIN_SCORE = 10.83;

    static final long MIN_OBSERVED = 3;
    static final int PER_KIND = 5;
    static final int MAX_DRIVERS = 15;

    /** Words of a chained phrase at most. */
    static final int MAX_CHAIN = 6;

    private static final int MAX_AUTHOR = 64;
    private static final int MAX_URL = 200;
    private static final int MAX_URLS = 5;

    static final String TERM = "term";
    static final String PHRASE = "phrase";
    static final String AUTHOR = "author";
    static final String DOMAIN = "domain";
    static final String PLATFORM = "platform";
    static final String LANGUAGE = "language";

    private Features() {}

    /** Counts one mention (of the window {@code e} is for) into {@code e}. */
    public static void add(WindowEvidence e, Mention m, boolean negative) {
        e.mentions++;
        List<String> tokens = Terms.tokens(m.text());
        List<String> terms = Terms.terms(tokens);
        List<String> keys = new ArrayList<>();
        terms.forEach(t -> keys.add(TERM + ':' + t));
        Terms.phrases(tokens).forEach(p -> keys.add(PHRASE + ':' + p));
        String author = m.author().handle() != null ? m.author().handle() : m.author().id();
        keys.add(AUTHOR + ':' + cut(author, MAX_AUTHOR));
        List<String> urls = sharedUrls(m.text());
        urls.stream()
                .map(Features::domain)
                .filter(d -> d != null)
                .distinct()
                .forEach(d -> keys.add(DOMAIN + ':' + d));
        keys.add(PLATFORM + ':' + m.platform().wireName());
        String lang = LanguageTags.normalise(m.lang());
        keys.add(LANGUAGE + ':' + (lang == null ? "und" : lang));
        for (String k : keys) {
            count(e.features, k, 1);
        }
        if (negative) {
            e.negative++;
            for (String k : keys) {
                count(e.negativeFeatures, k, 1);
            }
        }
        if (m.reshareOf() == null && m.author().followers() < LOW_FOLLOWERS) {
            String group = group(urls, terms);
            if (group != null) {
                count(e.groups, group, 1);
            }
        }
        if (e.authors.size() < AUTHOR_SAMPLE) {
            e.authors.add(hash(m.author().id()));
        }
        offerReach(e.topReach, ReachPost.of(m));
    }

    /** Adds {@code from} into {@code into} (both windows of the same key). */
    public static void merge(WindowEvidence into, WindowEvidence from) {
        into.mentions += from.mentions;
        into.negative += from.negative;
        from.features.forEach((k, v) -> count(into.features, k, v));
        from.negativeFeatures.forEach((k, v) -> count(into.negativeFeatures, k, v));
        from.groups.forEach((k, v) -> count(into.groups, k, v));
        for (Long a : from.authors) {
            if (into.authors.size() >= AUTHOR_SAMPLE) {
                break;
            }
            into.authors.add(a);
        }
        from.topReach.forEach(p -> offerReach(into.topReach, p));
    }

    /** Decays the baseline by {@code decay} and adds the window's counts and authors. */
    public static void fold(KeyBaseline b, WindowEvidence e, double decay, long at) {
        float d = (float) decay;
        for (int i = 0; i < b.sketch.length; i++) {
            b.sketch[i] *= d;
        }
        b.mentions = b.mentions * decay + e.mentions;
        // conservative update: raise only the counters below the new estimate, which keeps the
        // over-estimate from collisions far smaller than adding to every row
        e.features.forEach(
                (k, v) -> {
                    long h = hash(k);
                    float target = (float) (estimate(b, h) + v);
                    for (int row = 0; row < DEPTH; row++) {
                        int i = row * WIDTH + slot(h, row, WIDTH);
                        if (b.sketch[i] < target) {
                            b.sketch[i] = target;
                        }
                    }
                });
        for (Long a : e.authors) {
            if (!seen(b, a)) {
                if (b.authorsAdded >= BLOOM_ADDS) {
                    b.previousAuthors = b.authors;
                    b.authors = new long[BLOOM_WORDS];
                    b.authorsAdded = 0;
                }
                for (int i = 0; i < BLOOM_HASHES; i++) {
                    int bit = slot(a, i + DEPTH, BLOOM_WORDS * 64);
                    b.authors[bit >>> 6] |= 1L << (bit & 63);
                }
                b.authorsAdded++;
            }
        }
        b.windows++;
        b.lastFold = at;
    }

    /** A copy that folding into leaves {@code b} as it is. */
    static KeyBaseline copy(KeyBaseline b) {
        KeyBaseline c = new KeyBaseline();
        c.sketch = b.sketch.clone();
        c.mentions = b.mentions;
        c.windows = b.windows;
        c.authors = b.authors.clone();
        c.previousAuthors = b.previousAuthors.clone();
        c.authorsAdded = b.authorsAdded;
        c.lastFold = b.lastFold;
        return c;
    }

    /** The baseline's (over-)estimate of the mentions with feature {@code key}. */
    static double estimate(KeyBaseline b, String key) {
        return estimate(b, hash(key));
    }

    private static double estimate(KeyBaseline b, long h) {
        double min = Double.MAX_VALUE;
        for (int row = 0; row < DEPTH; row++) {
            min = Math.min(min, b.sketch[row * WIDTH + slot(h, row, WIDTH)]);
        }
        return min;
    }

    static boolean seen(KeyBaseline b, long author) {
        return inBloom(b.authors, author) || inBloom(b.previousAuthors, author);
    }

    /**
     * The drivers of {@code e} against {@code b} (empty without a baseline), the top posts by
     * reach, the first-time author share and the coordinated share.
     *
     * @param negativeOnly score the negative mentions' features (a negative burst)
     */
    public static AlertDrivers explain(WindowEvidence e, KeyBaseline b, boolean negativeOnly) {
        Map<String, Long> counts = negativeOnly ? e.negativeFeatures : e.features;
        long n = negativeOnly ? e.negative : e.mentions;
        double m = b == null ? 0 : b.mentions;
        List<Driver> all = new ArrayList<>();
        if (m > 0 && n > 0) {
            for (Map.Entry<String, Long> c : counts.entrySet()) {
                long a = c.getValue();
                if (a < MIN_OBSERVED) {
                    continue;
                }
                // a count-min estimate is never below the true count: the expectation is cautious
                double base = Math.min(estimate(b, c.getKey()), m);
                double expected = n * base / m;
                if (a <= expected) {
                    continue;
                }
                double score = LogLikelihood.score(a, n, base, m);
                if (score < MIN_SCORE) {
                    continue;
                }
                int colon = c.getKey().indexOf(':');
                all.add(
                        new Driver(
                                c.getKey().substring(0, colon),
                                c.getKey().substring(colon + 1),
                                a,
                                round(expected),
                                round(score)));
            }
        }
        all = chainPhrases(all);
        all.sort(
                Comparator.comparingDouble(Driver::score)
                        .reversed()
                        .thenComparing(Driver::kind)
                        .thenComparing(Driver::value));
        List<Driver> drivers = new ArrayList<>();
        Map<String, Integer> perKind = new HashMap<>();
        for (Driver d : all) {
            if (drivers.size() == MAX_DRIVERS) {
                break;
            }
            if (covered(d, all)) {
                continue;
            }
            if (perKind.merge(d.kind(), 1, Integer::sum) <= PER_KIND) {
                drivers.add(d);
            }
        }
        long firstTime = 0;
        for (Long a : e.authors) {
            if (b == null || !seen(b, a)) {
                firstTime++;
            }
        }
        long coordinated = 0;
        for (long count : e.groups.values()) {
            if (count >= MIN_GROUP) {
                coordinated += count;
            }
        }
        return new AlertDrivers(
                List.copyOf(drivers),
                List.copyOf(e.topReach),
                n,
                round(m),
                e.authors.isEmpty() ? 0 : round((double) firstTime / e.authors.size()),
                e.mentions == 0 ? 0 : round(Math.min(1.0, (double) coordinated / e.mentions)));
    }

    /**
     * Joins overlapping phrases seen about as often ("sohle loest" + "loest schon" → "sohle loest
     * schon"): the words of one post that went viral are one driver, not one per word pair.
     */
    static List<Driver> chainPhrases(List<Driver> drivers) {
        List<Driver> phrases = new ArrayList<>();
        List<Driver> out = new ArrayList<>();
        for (Driver d : drivers) {
            (d.kind().equals(PHRASE) ? phrases : out).add(d);
        }
        phrases.sort(
                Comparator.comparingDouble(Driver::score).reversed().thenComparing(Driver::value));
        boolean[] used = new boolean[phrases.size()];
        for (int i = 0; i < phrases.size(); i++) {
            if (used[i]) {
                continue;
            }
            used[i] = true;
            Driver chain = phrases.get(i);
            boolean grown = true;
            while (grown && chain.value().split(" ").length < MAX_CHAIN) {
                grown = false;
                for (int j = 0; j < phrases.size(); j++) {
                    Driver q = phrases.get(j);
                    if (used[j] || !alike(chain, q)) {
                        continue;
                    }
                    String[] c = chain.value().split(" ");
                    String[] w = q.value().split(" ");
                    String joined = null;
                    if (c[c.length - 1].equals(w[0]) && !chain.value().contains(w[1])) {
                        joined = chain.value() + ' ' + w[1];
                    } else if (w[1].equals(c[0]) && !chain.value().contains(w[0])) {
                        joined = w[0] + ' ' + chain.value();
                    }
                    if (joined != null) {
                        used[j] = true;
                        chain =
                                new Driver(
                                        PHRASE,
                                        joined,
                                        Math.min(chain.observed(), q.observed()),
                                        Math.max(chain.expected(), q.expected()),
                                        Math.min(chain.score(), q.score()));
                        grown = true;
                        break;
                    }
                }
            }
            out.add(chain);
        }
        return out;
    }

    private static boolean alike(Driver a, Driver b) {
        return Math.abs(a.observed() - b.observed()) <= 0.1 * Math.max(a.observed(), b.observed());
    }

    /**
     * Whether a term is a word of a significant phrase with about as many mentions: the same story
     * once, so that the first drivers name different causes.
     */
    private static boolean covered(Driver d, List<Driver> listed) {
        if (!d.kind().equals(TERM)) {
            return false;
        }
        for (Driver p : listed) {
            if (p.kind().equals(PHRASE)
                    && p.observed() >= 0.9 * d.observed()
                    && (' ' + p.value() + ' ').contains(' ' + d.value() + ' ')) {
                return true;
            }
        }
        return false;
    }

    /** URLs written in the text (not the post's own URL), at most a few, each cut. */
    static List<String> sharedUrls(String text) {
        List<String> urls = new ArrayList<>();
        if (text == null) {
            return urls;
        }
        int i = 0;
        while (urls.size() < MAX_URLS) {
            int http = indexOfIgnoreCase(text, "http", i);
            if (http < 0) {
                break;
            }
            int end = http;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            String url = text.substring(http, end);
            if (url.regionMatches(true, 0, "http://", 0, 7)
                    || url.regionMatches(true, 0, "https://", 0, 8)) {
                int q = url.indexOf('?');
                urls.add(cut(q < 0 ? url : url.substring(0, q), MAX_URL));
            }
            i = Math.max(end, http + 4);
        }
        return urls;
    }

    /** The host of a URL, lower case, without "www."; null when there is none. */
    static String domain(String url) {
        try {
            String host = new URI(url).getHost();
            if (host == null || host.isEmpty()) {
                return null;
            }
            host = host.toLowerCase(Locale.ROOT);
            return host.startsWith("www.") ? host.substring(4) : host;
        } catch (Exception e) {
            return null; // a URL a post made up is not a domain
        }
    }

    /** The shared URL if there is one, else the fingerprint of the text's terms, else null. */
    private static String group(List<String> urls, List<String> terms) {
        if (!urls.isEmpty()) {
            return "u:" + urls.get(0).toLowerCase(Locale.ROOT);
        }
        if (terms.size() < MIN_FINGERPRINT_TERMS) {
            return null;
        }
        // near-identical texts: the same words in any order, punctuation and stop words aside
        return "t:" + Long.toHexString(hash(String.join(" ", new TreeSet<>(terms))));
    }

    private static void offerReach(List<ReachPost> top, ReachPost p) {
        if (top.size() == TOP_REACH && p.reach() <= top.get(TOP_REACH - 1).reach()) {
            return;
        }
        if (top.stream().anyMatch(t -> t.id().equals(p.id()))) {
            return;
        }
        top.add(p);
        top.sort(
                Comparator.comparingLong(ReachPost::reach).reversed().thenComparing(ReachPost::id));
        if (top.size() > TOP_REACH) {
            top.remove(top.size() - 1);
        }
    }

    /** Adds to a count map, pruning it back to the most frequent entries when it grows too big. */
    static void count(Map<String, Long> counts, String key, long by) {
        counts.merge(key, by, Long::sum);
        if (counts.size() > 2 * CAPACITY) {
            List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
            entries.sort(
                    Map.Entry.<String, Long>comparingByValue()
                            .reversed()
                            .thenComparing(Map.Entry.comparingByKey()));
            counts.clear();
            for (Map.Entry<String, Long> en : entries.subList(0, CAPACITY)) {
                counts.put(en.getKey(), en.getValue());
            }
        }
    }

    private static boolean inBloom(long[] bits, long h) {
        for (int i = 0; i < BLOOM_HASHES; i++) {
            int bit = slot(h, i + DEPTH, BLOOM_WORDS * 64);
            if ((bits[bit >>> 6] & (1L << (bit & 63))) == 0) {
                return false;
            }
        }
        return true;
    }

    /** 64-bit FNV-1a over the chars, then a finaliser so that both halves are well mixed. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        if (s != null) {
            for (int i = 0; i < s.length(); i++) {
                h ^= s.charAt(i);
                h *= 0x100000001b3L;
            }
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    /** Row {@code i}'s slot of a hash (double hashing). */
    private static int slot(long h, int i, int size) {
        int h1 = (int) h;
        int h2 = (int) (h >>> 32) | 1;
        return Math.floorMod(h1 + i * h2, size);
    }

    private static int indexOfIgnoreCase(String text, String what, int from) {
        for (int i = from; i + what.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, what, 0, what.length())) {
                return i;
            }
        }
        return -1;
    }

    private static String cut(String s, int max) {
        if (s == null) {
            return "";
        }
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
