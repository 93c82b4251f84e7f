package io.echolot.rules;

import io.echolot.model.Author;
import io.echolot.model.Mention;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the brands and topics of a text by {@link BrandRules}: one Aho–Corasick automaton over all
 * terms of all brands and topics, one pass over the {@linkplain TextNormalizer normalized} text.
 *
 * <p>Matching rules:
 *
 * <ul>
 *   <li>Case, umlaut spelling (Müller = Mueller) and accents (Café = Cafe) do not matter: terms and
 *       text are normalized the same way.
 *   <li><b>Whole words only</b>: "Bayer" does not match "bayerisch" or "Bayern". A term ending in
 *       {@code *} also matches as the start of a longer word, which is how German compounds and
 *       inflections are opted into, per term ({@code cardiofit*} finds "Cardiofittabletten", {@code
 *       nebenwirkung*} finds "Nebenwirkungen"). Hyphenated compounds ("Cardiofit-Tabletten") match
 *       without it, '-' being a boundary. Suffix hits are never on by default because they are the
 *       main source of false positives (Bayer/bayerisch, Strider/Striders Cafe).
 *   <li>Names and aliases match in hashtags too ("#Cardiofit"); {@code hashtags} only as "#tag";
 *       {@code handles} as "@handle" in the text or as the author's handle.
 *   <li>Phrases match across any white space ("Bayern\nMünchen").
 *   <li>An {@code exclude} term vetoes the brand's hits that overlap it or lie within the brand's
 *       {@code exclude_window} characters of it; other hits of the brand in the same text still
 *       count. The author handle is never vetoed.
 *   <li>Global topics count for every text; brand topics only when their brand is among the result
 *       (matched here or already on the event).
 *   <li>Brands and topics already on the event are kept: the result is their union with the
 *       matches, existing ones first, then matches in rule order.
 * </ul>
 *
 * <p>Immutable, thread-safe and {@link Serializable}; compiling takes milliseconds for hundreds of
 * rules, so a Flink function may either carry a compiled matcher or compile the rules in {@code
 * open()}.
 */
public final class BrandMatcher implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final byte BRAND = 0;
    private static final byte EXCLUDE = 1;
    private static final byte TOPIC = 2;

    /** The brands and topics of a text. Ordered, unmodifiable sets. */
    public record Match(Set<String> brands, Set<String> topics) implements Serializable {

        public static final Match EMPTY = new Match(Set.of(), Set.of());

        public boolean isEmpty() {
            return brands.isEmpty() && topics.isEmpty();
        }
    }

    private final AhoCorasick automaton;
    private final String[] patterns;
    // the rule entries of pattern p: entryKind/Owner/Restrict/Prefix[patternEntries[p] .. [p + 1])
    private final int[] patternEntries;
    private final byte[] entryKind;
    private final int[] entryOwner; // brand index, or topic index for TOPIC
    private final int[] entryRestrict; // TOPIC: the brand index it is restricted to, or -1
    private final boolean[] entryPrefix;

    private final String[] brandIds;
    private final int[] excludeWindow;
    private final Set<String> pharmaBrands;
    private final String[] topicIds;
    private final Map<String, Integer> brandIndex;
    private final Map<String, int[]> handleBrands;

    private BrandMatcher(BrandRules rules) {
        brandIds = new String[rules.brands().size()];
        excludeWindow = new int[brandIds.length];
        brandIndex = new HashMap<>();
        Set<String> pharma = new LinkedHashSet<>();
        Map<String, Integer> topicIndex = new LinkedHashMap<>();
        Map<String, List<Integer>> handles = new HashMap<>();
        Map<String, List<Entry>> byPattern = new LinkedHashMap<>();

        rules.topics().values().forEach(t -> addTopic(t, -1, topicIndex, byPattern));
        for (int b = 0; b < brandIds.length; b++) {
            Brand brand = rules.brands().get(b);
            brandIds[b] = brand.id();
            brandIndex.put(brand.id(), b);
            excludeWindow[b] = brand.excludeWindow();
            if (brand.pharma()) {
                pharma.add(brand.id());
            }
            for (String term : brand.names()) {
                addWords(term, BRAND, b, -1, byPattern);
            }
            for (String term : brand.aliases()) {
                addWords(term, BRAND, b, -1, byPattern);
            }
            for (String tag : brand.hashtags()) {
                add("#" + TextNormalizer.normalize(tag), new Entry(BRAND, b, -1, false), byPattern);
            }
            for (String handle : brand.handles()) {
                String h = TextNormalizer.normalize(handle);
                add("@" + h, new Entry(BRAND, b, -1, false), byPattern);
                // the author's handle is an account, not text: no accent or Unicode case folding,
                // or a look-alike account would post as the brand (CareRules#sameHandle)
                handles.computeIfAbsent(
                                CareRules.foldHandle(CareRules.stripAt(handle)),
                                k -> new ArrayList<>())
                        .add(b);
            }
            for (String term : brand.exclude()) {
                addWords(term, EXCLUDE, b, -1, byPattern);
            }
            for (Topic t : brand.topics().values()) {
                addTopic(t, b, topicIndex, byPattern);
            }
        }
        pharmaBrands = Collections.unmodifiableSet(pharma);
        topicIds = topicIndex.keySet().toArray(new String[0]);
        handleBrands = new HashMap<>();
        handles.forEach(
                (h, bs) -> handleBrands.put(h, bs.stream().mapToInt(Integer::intValue).toArray()));

        patterns = byPattern.keySet().toArray(new String[0]);
        patternEntries = new int[patterns.length + 1];
        int entries = byPattern.values().stream().mapToInt(List::size).sum();
        entryKind = new byte[entries];
        entryOwner = new int[entries];
        entryRestrict = new int[entries];
        entryPrefix = new boolean[entries];
        int e = 0;
        for (int p = 0; p < patterns.length; p++) {
            patternEntries[p] = e;
            for (Entry entry : byPattern.get(patterns[p])) {
                entryKind[e] = entry.kind;
                entryOwner[e] = entry.owner;
                entryRestrict[e] = entry.restrict;
                entryPrefix[e] = entry.prefix;
                e++;
            }
        }
        patternEntries[patterns.length] = e;
        automaton = new AhoCorasick(List.of(patterns));
    }

    /** Builds the automaton for these rules. */
    public static BrandMatcher compile(BrandRules rules) {
        return new BrandMatcher(rules);
    }

    /** The ids of the brands marked {@code pharma: true}. */
    public Set<String> pharmaBrands() {
        return pharmaBrands;
    }

    /** Whether {@code brandId} is a pharma brand of these rules. */
    public boolean isPharma(String brandId) {
        return pharmaBrands.contains(brandId);
    }

    /** The brands and topics of a text alone. */
    public Match match(String text) {
        return match(text, null, List.of(), List.of());
    }

    /** The brands and topics of a mention: its text and author, united with what it already has. */
    public Match match(Mention mention) {
        Author author = mention.author();
        return match(
                mention.text(),
                author == null ? null : author.handle(),
                mention.brands(),
                mention.topics());
    }

    /**
     * The brands and topics of a text posted by {@code authorHandle} (may be null, with or without
     * '@'), united with {@code existingBrands} and {@code existingTopics} (may be empty, not null).
     */
    public Match match(
            String text,
            String authorHandle,
            Collection<String> existingBrands,
            Collection<String> existingTopics) {
        String norm = TextNormalizer.normalize(text);
        Scan scan = new Scan(norm);
        if (patterns.length > 0) {
            automaton.scan(norm, scan);
        }

        boolean[] brandHit = new boolean[brandIds.length];
        scan.decideBrands(brandHit);
        if (authorHandle != null && !authorHandle.isBlank()) {
            int[] bs = handleBrands.get(CareRules.foldHandle(CareRules.stripAt(authorHandle)));
            if (bs != null) {
                for (int b : bs) {
                    brandHit[b] = true;
                }
            }
        }

        Set<String> brands = new LinkedHashSet<>(existingBrands);
        for (int b = 0; b < brandIds.length; b++) {
            if (brandHit[b]) {
                brands.add(brandIds[b]);
            }
        }
        // brands already on the event unlock their brand topics too
        for (String id : existingBrands) {
            Integer b = brandIndex.get(id);
            if (b != null) {
                brandHit[b] = true;
            }
        }

        Set<String> topics = new LinkedHashSet<>(existingTopics);
        boolean[] topicHit = new boolean[topicIds.length];
        for (int i = 0; i < scan.topicCount; i++) {
            int restrict = scan.topicRestrict[i];
            if (restrict < 0 || brandHit[restrict]) {
                topicHit[scan.topicOwner[i]] = true;
            }
        }
        for (int t = 0; t < topicIds.length; t++) {
            if (topicHit[t]) {
                topics.add(topicIds[t]);
            }
        }
        if (brands.isEmpty() && topics.isEmpty()) {
            return Match.EMPTY;
        }
        return new Match(Collections.unmodifiableSet(brands), Collections.unmodifiableSet(topics));
    }

    /**
     * The mention with brands and topics replaced by {@link #match(Mention)}; other fields kept.
     */
    public Mention enrich(Mention m) {
        Match match = match(m);
        return m.toBuilder()
                .brands(List.copyOf(match.brands()))
                .topics(List.copyOf(match.topics()))
                .build();
    }

    /** Collects the hits of one scan: brand hits and exclusions as spans, topic hits as owners. */
    private final class Scan implements AhoCorasick.Hits {
        private final String text;
        int[] brandHits = new int[24]; // (brand, start, end) triples
        int brandCount;
        int[] excludes = new int[12]; // (brand, start, end) triples
        int excludeCount;
        int[] topicOwner = new int[8];
        int[] topicRestrict = new int[8];
        int topicCount;

        Scan(String text) {
            this.text = text;
        }

        @Override
        public void hit(int pattern, int end) {
            String p = patterns[pattern];
            int start = end - p.length();
            char first = p.charAt(0);
            // words, #tags and @handles start after a boundary ("mail@striderapp.com" is no handle)
            if ((TextNormalizer.isWordChar(first) || first == '#' || first == '@')
                    && start > 0
                    && TextNormalizer.isWordChar(text.charAt(start - 1))) {
                return;
            }
            boolean wordEnd =
                    !TextNormalizer.isWordChar(p.charAt(p.length() - 1))
                            || end == text.length()
                            || !TextNormalizer.isWordChar(text.charAt(end));
            for (int e = patternEntries[pattern]; e < patternEntries[pattern + 1]; e++) {
                if (!wordEnd && !entryPrefix[e]) {
                    continue;
                }
                switch (entryKind[e]) {
                    case BRAND -> {
                        brandHits = triple(brandHits, brandCount++, entryOwner[e], start, end);
                    }
                    case EXCLUDE -> {
                        excludes = triple(excludes, excludeCount++, entryOwner[e], start, end);
                    }
                    default -> {
                        if (topicCount == topicOwner.length) {
                            topicOwner = java.util.Arrays.copyOf(topicOwner, topicCount * 2);
                            topicRestrict = java.util.Arrays.copyOf(topicRestrict, topicCount * 2);
                        }
                        topicOwner[topicCount] = entryOwner[e];
                        topicRestrict[topicCount] = entryRestrict[e];
                        topicCount++;
                    }
                }
            }
        }

        void decideBrands(boolean[] brandHit) {
            for (int i = 0; i < brandCount; i++) {
                int b = brandHits[3 * i];
                if (brandHit[b]) {
                    continue;
                }
                int start = brandHits[3 * i + 1];
                int end = brandHits[3 * i + 2];
                boolean vetoed = false;
                for (int x = 0; x < excludeCount && !vetoed; x++) {
                    if (excludes[3 * x] == b) {
                        int w = excludeWindow[b];
                        vetoed = start < excludes[3 * x + 2] + w && end > excludes[3 * x + 1] - w;
                    }
                }
                brandHit[b] = !vetoed;
            }
        }

        private static int[] triple(int[] a, int index, int owner, int start, int end) {
            if (3 * index + 3 > a.length) {
                a = java.util.Arrays.copyOf(a, a.length * 2);
            }
            a[3 * index] = owner;
            a[3 * index + 1] = start;
            a[3 * index + 2] = end;
            return a;
        }
    }

    private record Entry(byte kind, int owner, int restrict, boolean prefix) {}

    private static void addTopic(
            Topic topic, int brand, Map<String, Integer> topicIndex, Map<String, List<Entry>> out) {
        int t = topicIndex.computeIfAbsent(topic.id(), k -> topicIndex.size());
        for (String term : topic.keywords()) {
            addWords(term, TOPIC, t, brand, out);
        }
        for (String term : topic.phrases()) {
            addWords(term, TOPIC, t, brand, out);
        }
        for (String tag : topic.hashtags()) {
            add("#" + TextNormalizer.normalize(tag), new Entry(TOPIC, t, brand, false), out);
        }
    }

    private static void addWords(
            String term, byte kind, int owner, int restrict, Map<String, List<Entry>> out) {
        String t = term.strip();
        boolean prefix = t.endsWith("*");
        if (prefix) {
            t = t.substring(0, t.length() - 1);
        }
        add(TextNormalizer.normalize(t).strip(), new Entry(kind, owner, restrict, prefix), out);
    }

    private static void add(String pattern, Entry entry, Map<String, List<Entry>> out) {
        List<Entry> entries = out.computeIfAbsent(pattern, k -> new ArrayList<>());
        if (!entries.contains(entry)) {
            entries.add(entry);
        }
    }
}
