package io.echolot.explain;

import io.echolot.alert.AlertDrivers;
import io.echolot.alert.AlertSignal;
import io.echolot.alert.AlertType;
import io.echolot.alert.Driver;
import io.echolot.alert.Evidence;
import io.echolot.alert.ReachPost;
import io.echolot.alert.Severity;
import io.echolot.detect.CountTail;
import io.echolot.detect.SpikeScore;
import io.echolot.model.Mention;
import io.echolot.state.MapStateWriteBack;
import io.echolot.state.WritesBack;
import io.echolot.window.ScopedMention;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Finds the stories nobody wrote a rule for: per brand (keyed by the brand's scope over all topics,
 * {@link WholeBrand}), a term or two-word phrase that no rule watches ({@link RuleVocabulary}) and
 * that rises far above its own running baseline ({@link TermTrends}) in one bucket of event time
 * becomes an {@link AlertType#EMERGING_TOPIC} signal; terms rising together in the same posts are
 * one signal, and a later bucket of a story already reported continues its alert (its topic is the
 * story's lead term) for as long as the alert cooldown, and always in the very next bucket.
 *
 * <p>A term is significant when, in its bucket, it was written by at least {@link #MIN_AUTHORS}
 * authors in at least {@code minCount} original posts (reshares repeat a post; a viral post is the
 * spike detector's story), at least {@link #MIN_LIFT} times its expectation, and its count has a
 * negative-binomial upper tail below {@link #MAX_TAIL} under the term's own mean and variance. The
 * expectation never falls below a floor that grows with the bucket's volume, since a busy brand
 * writes many rare words by chance. No signal before {@link #WARMUP_BUCKETS} buckets were folded. A
 * bucket folds each term into the baseline at most {@link #MIN_LIFT} times its expectation, so a
 * story cannot make itself ordinary in its first bucket, while a word that stays (a new product's
 * name) is learned within about two days of 15-minute buckets.
 *
 * <p>The open buckets being written and the term tables being read stay in memory, for at most
 * {@link #CACHED_KEYS} keys, until the next checkpoint ({@link MapStateWriteBack}): on RocksDB,
 * reading and writing them for every mention cost more than everything else the mention needs. Run
 * it in {@link EmergingTopicsOperator}, which stores them when each checkpoint is taken.
 *
 * <p>State per brand is bounded: the term table (16 KiB), the open buckets of at most {@code 2 *
 * CAPACITY} tallies each, and at most {@link #MAX_STORIES} stories; a brand without mentions for
 * {@code idleTimeout} is forgotten. Metrics: {@code emergingSignals}, {@code
 * emergingBucketsFolded}, {@code emergingMentionsNotCounted} (posts whose words could not be read;
 * should stay 0).
 */
public class EmergingTopics extends KeyedProcessFunction<String, ScopedMention, AlertSignal>
        implements WritesBack {

    private static final long serialVersionUID = 1L;

    /** Tallies kept per bucket (the most frequent); pruned back to this at twice as many. */
    public static final int CAPACITY = 256;

    /** Tallies per bucket whose top posts are kept. */
    static final int MAX_CANDIDATES = 16;

    /** Distinct authors a term needs (and the most a tally remembers). */
    public static final int MIN_AUTHORS = 3;

    /** Rise over the expectation a term needs: emerging means new, not merely louder. */
    public static final double MIN_LIFT = 4.0;

    /** Upper-tail probability a term's count must stay under. */
    public static final double MAX_TAIL = 1e-7;

    /** The expectation's floor: this, plus {@link #FLOOR_PER_MENTION} per mention of the bucket. */
    static final double FLOOR = 0.2;

    static final double FLOOR_PER_MENTION = 0.002;

    /** Buckets folded before the first signal. */
    public static final int WARMUP_BUCKETS = 6;

    /** Stories remembered per brand. */
    static final int MAX_STORIES = 8;

    /** Terms per story and per signal. */
    static final int MAX_TERMS = 10;

    static final int TOP_POSTS = 3;

    /** Keys whose open buckets stay in memory between checkpoints ({@link #flushAll}). */
    static final int CACHED_KEYS = 1_024;

    private final long bucketMillis;
    private final long latenessMillis;
    private final double alpha;
    private final long cooldownMillis;
    private final long idleMillis;
    private final long minCount;
    private final RuleVocabulary rules;

    private transient MapState<Long, TermBucket> buckets;
    private transient MapStateWriteBack<Long, TermBucket> written;
    private transient ValueState<TermTrends> trends;

    /**
     * The term tables read since the last checkpoint, per key: read per mention, changed only in
     * {@link #onTimer}, which drops the key's entry before it touches {@link #trends}.
     */
    private transient Map<Object, TermTrends> trendsRead;

    private transient ValueState<List<Story>> stories;
    private transient ValueState<Long> idleTimer;
    private transient Counter signals;
    private transient Counter folded;
    private transient Counter notCounted;

    /**
     * @param bucket the time a term has to rise in
     * @param allowedLateness a bucket is judged this long after its end (the windows' lateness)
     * @param baselineBuckets the baseline's memory: each bucket weighs 1/this
     * @param minCount original posts with a term a signal needs at least
     * @param cooldown a story continues its alert for this long after it last rose (at least one
     *     bucket)
     * @param idleTimeout a brand without mentions this long (event time) is forgotten
     * @param rules the words the rules watch already
     */
    public EmergingTopics(
            Duration bucket,
            Duration allowedLateness,
            int baselineBuckets,
            int minCount,
            Duration cooldown,
            Duration idleTimeout,
            RuleVocabulary rules) {
        if (bucket.isNegative() || bucket.isZero()) {
            throw new IllegalArgumentException("emerging-topic bucket must be positive");
        }
        if (baselineBuckets < 2 || minCount < 1) {
            throw new IllegalArgumentException("baseline buckets must be >= 2, min count >= 1");
        }
        this.bucketMillis = bucket.toMillis();
        this.latenessMillis = allowedLateness.toMillis();
        this.alpha = 1.0 / baselineBuckets;
        this.minCount = minCount;
        this.cooldownMillis = cooldown.toMillis();
        this.idleMillis = Math.max(idleTimeout.toMillis(), 2 * bucketMillis + latenessMillis);
        this.rules = rules;
    }

    @Override
    public void open(OpenContext openContext) {
        buckets =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        "emerging-buckets",
                                        Types.LONG,
                                        TypeInformation.of(TermBucket.class)));
        written = new MapStateWriteBack<>(buckets, CACHED_KEYS);
        trendsRead = new HashMap<>();
        trends =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("emerging-trends", TermTrends.class));
        stories =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "emerging-stories", Types.LIST(Types.POJO(Story.class))));
        idleTimer =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>("emerging-idle-timer", Long.class));
        signals = getRuntimeContext().getMetricGroup().counter("emergingSignals");
        notCounted = getRuntimeContext().getMetricGroup().counter("emergingMentionsNotCounted");
        folded = getRuntimeContext().getMetricGroup().counter("emergingBucketsFolded");
    }

    @Override
    public void processElement(ScopedMention s, Context ctx, Collector<AlertSignal> out)
            throws Exception {
        Mention m = s.mention();
        long t = m.eventTimeMillis();
        long start = t - Math.floorMod(t, bucketMillis);
        // like a window: judged when the watermark passes its last millisecond plus the lateness
        long judgeAt = start + bucketMillis - 1 + latenessMillis;
        if (judgeAt <= ctx.timerService().currentWatermark()) {
            return; // its bucket was judged already
        }
        Object key = ctx.getCurrentKey();
        TermBucket b = written.get(key, start);
        if (b == null) {
            b = new TermBucket();
            b.start = start;
            b.brand = s.brand();
            ctx.timerService().registerEventTimeTimer(judgeAt);
        }
        b.mentions++;
        if (m.reshareOf() == null) {
            try {
                count(key, s.brand(), b, m);
            } catch (RuntimeException badInput) {
                // a post nothing foresaw costs its share of the counts, never the job: the mention
                // itself is indexed and counted in the windows elsewhere
                notCounted.inc();
            }
        }
        written.put(key, start, b);
        Long idle = idleTimer.value();
        long nextIdle = judgeAt + idleMillis;
        if (idle == null || idle < nextIdle) {
            if (idle != null) {
                ctx.timerService().deleteEventTimeTimer(idle);
            }
            ctx.timerService().registerEventTimeTimer(nextIdle);
            idleTimer.update(nextIdle);
        }
    }

    private void count(Object key, String brand, TermBucket b, Mention m) throws Exception {
        List<String> tokens = Terms.tokens(m.text());
        List<String> keys = new ArrayList<>();
        for (String term : Terms.terms(tokens)) {
            if (!rules.covers(brand, term)) {
                keys.add(term);
            }
        }
        for (String phrase : Terms.phrases(tokens)) {
            int space = phrase.indexOf(' ');
            if (!rules.covers(brand, phrase.substring(0, space))
                    && !rules.covers(brand, phrase.substring(space + 1))) {
                keys.add(phrase);
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        TermTrends tr = trendsRead.get(key);
        if (tr == null) {
            tr = trends.value();
            if (tr != null && trendsRead.size() < CACHED_KEYS) {
                trendsRead.put(key, tr);
            }
        }
        int author = m.author().id() == null ? 0 : m.author().id().hashCode();
        ReachPost post = null;
        for (String k : keys) {
            TermTally tally = b.terms.get(k);
            if (tally == null) {
                // once a bucket had to be pruned, a word seen once is the long tail of a busy
                // bucket: it is tallied from its second time on (the sketch counts the first), so
                // one-offs never crowd out a story that is only beginning
                if (b.pruned) {
                    int seen = see(b, k);
                    if (seen < 2) {
                        continue;
                    }
                    tally = new TermTally();
                    tally.count = Math.min(seen, 2) - 1;
                } else {
                    tally = new TermTally();
                }
                b.terms.put(k, tally);
            }
            tally.count++;
            if (tally.authors.size() < MIN_AUTHORS && !tally.authors.contains(author)) {
                tally.authors.add(author);
            }
            if (!tally.candidate && tally.count >= 2) {
                double lift = lift(tr, b, k, tally);
                if (lift > MIN_LIFT / 2 && makeRoom(b, tr, lift)) {
                    tally.candidate = true;
                    b.candidates++;
                }
            }
            if (tally.candidate) {
                if (post == null) {
                    post = ReachPost.of(m);
                }
                offer(tally.posts, post);
            }
        }
        if (b.terms.size() >= 2 * CAPACITY) {
            prune(b, tr);
        }
    }

    /** Counts {@code k} in the bucket's sketch (conservative update); its estimate after that. */
    private static int see(TermBucket b, String k) {
        int min = Integer.MAX_VALUE;
        int[] cells = new int[TermBucket.SEEN_DEPTH];
        for (int r = 0; r < TermBucket.SEEN_DEPTH; r++) {
            cells[r] =
                    r * TermBucket.SEEN_WIDTH
                            + Math.floorMod(TermTrends.cell(k, r), TermBucket.SEEN_WIDTH);
            min = Math.min(min, b.seen[cells[r]]);
        }
        for (int c : cells) {
            if (b.seen[c] == min) {
                b.seen[c]++;
            }
        }
        return min + 1;
    }

    /** How far a tally is above its expectation so far in the bucket. */
    private double lift(TermTrends tr, TermBucket b, String k, TermTally t) {
        double expected = tr == null ? 0 : tr.share(k, alpha) * b.mentions;
        return t.count / Math.max(expected, FLOOR);
    }

    /**
     * Whether a candidate with {@code lift} may be added, evicting the one least above its
     * expectation when full (early in a bucket ordinary words look lumpy; they fall back later).
     */
    private boolean makeRoom(TermBucket b, TermTrends tr, double lift) {
        if (b.candidates < MAX_CANDIDATES) {
            return true;
        }
        TermTally weakest = null;
        double weakestLift = Double.MAX_VALUE;
        for (Map.Entry<String, TermTally> e : b.terms.entrySet()) {
            TermTally t = e.getValue();
            if (t.candidate) {
                double l = lift(tr, b, e.getKey(), t);
                if (l < weakestLift) {
                    weakest = t;
                    weakestLift = l;
                }
            }
        }
        if (weakest == null || weakestLift >= lift) {
            return false;
        }
        weakest.candidate = false;
        weakest.posts = new ArrayList<>();
        b.candidates--;
        return true;
    }

    private static void offer(List<ReachPost> posts, ReachPost p) {
        for (ReachPost q : posts) {
            if (q.id() != null && q.id().equals(p.id())) {
                return;
            }
        }
        posts.add(p);
        posts.sort(Comparator.comparingLong(ReachPost::reach).reversed());
        while (posts.size() > TOP_POSTS) {
            posts.remove(posts.size() - 1);
        }
    }

    /** Keeps the candidates, then the tallies most above their expectation. */
    private void prune(TermBucket b, TermTrends tr) {
        double floor = FLOOR + FLOOR_PER_MENTION * b.mentions;
        Map<String, Double> lift = new HashMap<>();
        b.terms.forEach(
                (k, t) ->
                        lift.put(
                                k,
                                t.count
                                        / Math.max(
                                                tr == null ? 0 : tr.share(k, alpha) * b.mentions,
                                                floor)));
        List<Map.Entry<String, TermTally>> all = new ArrayList<>(b.terms.entrySet());
        all.sort(
                Comparator.comparing((Map.Entry<String, TermTally> e) -> !e.getValue().candidate)
                        .thenComparing(e -> -lift.get(e.getKey())));
        for (int i = CAPACITY; i < all.size(); i++) {
            b.terms.remove(all.get(i).getKey());
        }
        b.pruned = true;
    }

    /**
     * Stores the buckets held in memory for every key and forgets the term tables read, when a
     * checkpoint is taken: {@link EmergingTopicsOperator} calls it with its own key setter.
     */
    @Override
    public void flushAll(Consumer<Object> setCurrentKey) throws Exception {
        written.flushAll(setCurrentKey);
        trendsRead.clear();
    }

    /** The term table the key's mentions are counted against until its next timer; null if none. */
    TermTrends trendsInUse(Object key) {
        return trendsRead.get(key);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertSignal> out)
            throws Exception {
        Object key = ctx.getCurrentKey();
        written.flush(key);
        trendsRead.remove(key);
        Long idle = idleTimer.value();
        if (idle != null && idle == timestamp) {
            buckets.clear();
            trends.clear();
            stories.clear();
            idleTimer.clear();
            return;
        }
        List<Long> due = new ArrayList<>();
        for (Long start : buckets.keys()) {
            if (start + bucketMillis - 1 + latenessMillis <= timestamp) {
                due.add(start);
            }
        }
        due.sort(Long::compare);
        TermTrends tr = trends.value();
        if (tr == null) {
            tr = new TermTrends();
        }
        for (Long start : due) {
            TermBucket b = buckets.get(start);
            if (tr.buckets >= WARMUP_BUCKETS) {
                judge(b.brand, b, tr, out);
            }
            fold(tr, b);
            buckets.remove(start);
        }
        trends.update(tr);
    }

    private void fold(TermTrends tr, TermBucket b) {
        float[] shares = new float[TermTrends.DEPTH * TermTrends.WIDTH];
        double floor = FLOOR + FLOOR_PER_MENTION * b.mentions;
        for (Map.Entry<String, TermTally> e : b.terms.entrySet()) {
            // a rise teaches the baseline only slowly (at most MIN_LIFT times the expectation per
            // bucket): a story's first bucket must not make its second one look ordinary
            // (while the baseline warms up, it learns every word as it comes)
            double cap =
                    tr.buckets < WARMUP_BUCKETS
                            ? Double.MAX_VALUE
                            : MIN_LIFT * Math.max(tr.share(e.getKey(), alpha) * b.mentions, FLOOR);
            float folded = (float) (Math.min(e.getValue().count, cap) / b.mentions);
            for (int r = 0; r < TermTrends.DEPTH; r++) {
                shares[TermTrends.cell(e.getKey(), r)] += folded;
            }
        }
        tr.fold(shares, b.mentions, alpha);
        folded.inc();
    }

    /** A significant term of a bucket. */
    private record Rising(String term, TermTally tally, double expected, double tail) {}

    private void judge(String brand, TermBucket b, TermTrends tr, Collector<AlertSignal> out)
            throws Exception {
        double floor = FLOOR + FLOOR_PER_MENTION * b.mentions;
        List<Rising> rising = new ArrayList<>();
        for (Map.Entry<String, TermTally> e : b.terms.entrySet()) {
            TermTally t = e.getValue();
            if (t.count < minCount || t.authors.size() < MIN_AUTHORS) {
                continue;
            }
            double share = tr.share(e.getKey(), alpha);
            double expected = Math.max(share * b.mentions, floor);
            if (t.count < MIN_LIFT * expected) {
                continue;
            }
            // NB2 with the share's own spread beyond its sampling noise (share / mentions):
            // variance = mean + dispersion · mean²
            double perBucket = Math.max(tr.mentionsPerBucket(alpha), 1);
            double dispersion =
                    share > 0
                            ? Math.max(
                                    0,
                                    (tr.shareVariance(e.getKey(), alpha) - share / perBucket)
                                            / (share * share))
                            : 0;
            double tail = CountTail.upper(t.count, expected, Math.min(dispersion, 1.0));
            if (tail < MAX_TAIL) {
                rising.add(new Rising(e.getKey(), t, expected, tail));
            }
        }
        if (rising.isEmpty()) {
            return;
        }
        rising.sort(Comparator.comparingDouble(Rising::tail).thenComparing(Rising::term));
        List<Story> known = stories.value();
        List<Story> memory = known == null ? new ArrayList<>() : new ArrayList<>(known);
        long now = b.start + bucketMillis;
        // a story is kept as long as its alert stays open: at least the next bucket, which the
        // alert lifecycle waits for too, however short the cooldown
        long keep = Math.max(cooldownMillis, bucketMillis);
        memory.removeIf(st -> st.lastSeen + keep < now);
        for (List<Rising> group : group(rising)) {
            Story story = storyOf(group, memory, now);
            out.collect(signal(brand, b, tr, story, group));
            signals.inc();
        }
        stories.update(memory);
    }

    /**
     * Groups the rising terms into stories: two terms are one story when one is a word of the other
     * (a phrase and its words) or appears in the other's top posts.
     */
    static List<List<Rising>> group(List<Rising> rising) {
        int n = rising.size();
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        List<Set<String>> words = new ArrayList<>();
        for (Rising r : rising) {
            Set<String> w = new HashSet<>();
            for (ReachPost p : r.tally().posts) {
                w.addAll(Terms.terms(Terms.tokens(p.text())));
            }
            for (String part : r.term().split(" ")) {
                w.add(part);
            }
            words.add(w);
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (related(rising.get(i).term(), words.get(j))
                        || related(rising.get(j).term(), words.get(i))) {
                    parent[find(parent, j)] = find(parent, i);
                }
            }
        }
        List<List<Rising>> groups = new ArrayList<>();
        Map<Integer, List<Rising>> byRoot = new java.util.LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            byRoot.computeIfAbsent(find(parent, i), k -> new ArrayList<>()).add(rising.get(i));
        }
        groups.addAll(byRoot.values());
        return groups;
    }

    private static boolean related(String term, Set<String> words) {
        for (String part : term.split(" ")) {
            if (words.contains(part)) {
                return true;
            }
        }
        return false;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static Story storyOf(List<Rising> group, List<Story> memory, long now) {
        Set<String> terms = new LinkedHashSet<>();
        group.forEach(r -> terms.add(r.term()));
        for (Story st : memory) {
            for (String t : st.terms) {
                if (terms.contains(t)) {
                    for (String add : terms) {
                        if (st.terms.size() < MAX_TERMS && !st.terms.contains(add)) {
                            st.terms.add(add);
                        }
                    }
                    st.lastSeen = now;
                    return st;
                }
            }
        }
        Story st = new Story();
        // the lead is a single word where the group has one: the alert's topic reads better
        st.lead =
                group.stream()
                        .map(Rising::term)
                        .filter(t -> t.indexOf(' ') < 0)
                        .findFirst()
                        .orElse(group.get(0).term());
        terms.stream().limit(MAX_TERMS).forEach(st.terms::add);
        st.lastSeen = now;
        memory.add(0, st);
        while (memory.size() > MAX_STORIES) {
            memory.remove(memory.size() - 1);
        }
        return st;
    }

    private AlertSignal signal(
            String brand, TermBucket b, TermTrends tr, Story story, List<Rising> group) {
        List<Driver> drivers = new ArrayList<>();
        List<ReachPost> posts = new ArrayList<>();
        Rising lead = group.get(0);
        for (Rising r : group) {
            if (r.term().equals(story.lead)) {
                lead = r;
            }
        }
        for (Rising r : group.subList(0, Math.min(group.size(), MAX_TERMS))) {
            drivers.add(
                    new Driver(
                            r.term().indexOf(' ') < 0 ? Features.TERM : Features.PHRASE,
                            r.term(),
                            r.tally().count,
                            r.expected(),
                            LogLikelihood.score(
                                    r.tally().count,
                                    b.mentions,
                                    r.expected(),
                                    Math.max(tr.mentionsPerBucket(alpha), r.expected()))));
            r.tally().posts.forEach(p -> offer(posts, p));
        }
        posts.sort(Comparator.comparingLong(ReachPost::reach).reversed());
        return AlertSignal.builder()
                .type(AlertType.EMERGING_TOPIC)
                .brand(brand)
                .topic(story.lead)
                .severity(Severity.of(lead.tally().count, lead.expected()))
                .evidence(
                        Evidence.of(
                                        Instant.ofEpochMilli(b.start),
                                        Instant.ofEpochMilli(b.start + bucketMillis),
                                        lead.tally().count,
                                        lead.expected(),
                                        SpikeScore.surpriseOf(lead.tail()))
                                .withDrivers(
                                        new AlertDrivers(
                                                drivers,
                                                posts.subList(0, Math.min(posts.size(), TOP_POSTS)),
                                                b.mentions,
                                                tr.mentionsPerBucket(alpha),
                                                Double.NaN,
                                                Double.NaN)))
                .build();
    }
}
