package io.echolot.tools;

import io.echolot.model.Mention;
import io.echolot.tools.TextBank.GeneratedBrand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Turns a {@link Scenario} into the records to send, in send order, each with its send time as an
 * offset from the start of the live part. Everything is decided by the seed and the start instant,
 * so the same arguments give byte-identical records; only the pacing depends on the wall clock.
 */
final class Timeline {

    /** Why a record is sent; decides whether it counts in the expected windows. */
    enum Kind {
        MENTION(true),
        BURST(true),
        VIRAL(true),
        /** A post of the emerging story. */
        STORY(true),
        ADVERSE(true),
        DECOY(false),
        COMPLAINT(true),
        /** A customer's follow-up question under the brand's answer. */
        FOLLOW_UP(true),
        DUPLICATE(false),
        LATE(false),
        MALFORMED(false),
        /** The brand's own answer: kept out of the customer windows by the job. */
        REPLY(false);

        final boolean counted;

        Kind(boolean counted) {
            this.counted = counted;
        }
    }

    /**
     * One record: send it {@code sendAtNanos} after the live start (history: 0, at once). {@code
     * mention} is null for malformed records.
     */
    record Emission(long sendAtNanos, Kind kind, Mention mention, byte[] key, byte[] value) {}

    /** Virtual time step; counts per step are Poisson with the step's expected count. */
    private static final Duration TICK = Duration.ofMillis(10);

    private static final int DUPLICATE_MEMORY = 256;

    private final Scenario scenario;
    private final Instant start;
    private final MentionGenerator generator;
    private final SplittableRandom random;
    private final Seasonality seasonality;
    private final ArrayDeque<Emission> sentRecently = new ArrayDeque<>();
    private final PriorityQueue<Scheduled> replies =
            new PriorityQueue<>(
                    Comparator.comparingLong(Scheduled::at).thenComparingLong(Scheduled::order));
    private long scheduled;

    /** A brand reply due at virtual time {@code at} (nanoseconds from the live start). */
    private record Scheduled(long at, long order, Mention to) {}

    /** Share of answered customers who ask again under the brand's answer. */
    static final double FOLLOW_UP_SHARE = 0.3;

    private final PriorityQueue<FollowUp> followUps =
            new PriorityQueue<>(
                    Comparator.comparingLong(FollowUp::at).thenComparingLong(FollowUp::order));

    /** A customer's follow-up due at virtual time {@code at}, under the brand's answer. */
    private record FollowUp(long at, long order, Mention customer, Mention answer) {}

    private Mention scriptedComplaint;

    private long malformed;

    Timeline(Scenario scenario, long seed, Instant start) {
        this.scenario = scenario;
        this.start = start;
        this.generator = new MentionGenerator(seed);
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.seasonality = new Seasonality(scenario.seasonality());
    }

    /** Calls {@code out} with every record of the scenario, history first, in send order. */
    void play(Consumer<Emission> out) {
        long tick = TICK.toNanos();
        long historyNanos = scenario.history().toNanos();
        Scenario.Complaint complaint = scenario.complaint();
        if (complaint != null) {
            // first of all, so that its time is not late for the job yet
            Mention m = generator.complaint(complaint.brand(), start.minus(complaint.age()));
            emit(0, Kind.COMPLAINT, m, out);
            scriptedComplaint = m;
            if (complaint.replyAt() != null) {
                replies.add(new Scheduled(complaint.replyAt().toNanos(), scheduled++, m));
            }
        }
        for (long t = -historyNanos; t < 0; t += tick) {
            step(t, 0, false, out);
        }
        List<Scenario.Adverse> adverse = new ArrayList<>(scenario.adverse());
        adverse.sort((a, b) -> a.at().compareTo(b.at()));
        int nextAdverse = 0;
        long end = scenario.duration().toNanos();
        for (long t = 0; t < end; t += tick) {
            step(t, t, true, out);
            while (nextAdverse < adverse.size()
                    && adverse.get(nextAdverse).at().toNanos() < t + tick) {
                Scenario.Adverse a = adverse.get(nextAdverse++);
                emit(t, Kind.ADVERSE, generator.adverseEvent(a.brand(), eventTime(t)), out);
            }
        }
    }

    private void step(long t, long sendAt, boolean live, Consumer<Emission> out) {
        while (!replies.isEmpty() && replies.peek().at() <= t) {
            Scheduled r = replies.poll();
            Instant at = start.plusNanos(r.at());
            Mention answer = generator.reply(r.to(), at);
            emit(sendAt, Kind.REPLY, answer, out);
            // one follow-up at most per conversation; the scripted complaint keeps its script
            if (r.to().threadRoot() == null
                    && r.to() != scriptedComplaint
                    && random.nextDouble() < FOLLOW_UP_SHARE) {
                followUps.add(
                        new FollowUp(r.at() + replyDelayNanos(), scheduled++, r.to(), answer));
            }
        }
        while (!followUps.isEmpty() && followUps.peek().at() <= t) {
            FollowUp f = followUps.poll();
            Mention m = generator.followUp(f.customer(), f.answer(), start.plusNanos(f.at()));
            emit(sendAt, Kind.FOLLOW_UP, m, out);
            if (random.nextDouble() < scenario.replyShare()) {
                replies.add(new Scheduled(f.at() + replyDelayNanos(), scheduled++, m));
            }
        }
        Instant at = start.plusNanos(t);
        double seconds = TICK.toNanos() / 1e9;
        double factor = seasonality.factor(at);
        int n = poisson(scenario.rate() * factor * seconds);
        for (int i = 0; i < n; i++) {
            regular(t, sendAt, live, out);
        }
        if (!live) {
            return;
        }
        Scenario.Burst burst = scenario.burst();
        if (burst != null && within(t, burst.at(), burst.length())) {
            int b = poisson(burst.rate() * seconds);
            for (int i = 0; i < b; i++) {
                emit(sendAt, Kind.BURST, generator.negative(burst.brand(), eventTime(t)), out);
            }
        }
        Scenario.Story story = scenario.story();
        if (story != null && within(t, story.at(), story.length())) {
            int s = poisson(story.rate() * seconds);
            for (int i = 0; i < s; i++) {
                emit(sendAt, Kind.STORY, generator.story(story.brand(), eventTime(t)), out);
            }
        }
        Scenario.Spike spike = scenario.spike();
        if (spike != null && within(t, spike.at(), spike.length())) {
            double brandRate = scenario.rate() * factor * share(spike.brand());
            int v = poisson(brandRate * (spike.factor() - 1) * seconds);
            for (int i = 0; i < v; i++) {
                emit(sendAt, Kind.VIRAL, generator.viral(spike.brand(), eventTime(t)), out);
            }
        }
    }

    private void regular(long t, long sendAt, boolean live, Consumer<Emission> out) {
        double u = random.nextDouble();
        if ((u -= scenario.malformedShare()) < 0) {
            out.accept(new Emission(sendAt, Kind.MALFORMED, null, null, malformed()));
            return;
        }
        if ((u -= scenario.duplicateShare()) < 0 && !sentRecently.isEmpty()) {
            Emission original =
                    new ArrayList<>(sentRecently).get(random.nextInt(sentRecently.size()));
            out.accept(
                    new Emission(
                            sendAt,
                            Kind.DUPLICATE,
                            original.mention(),
                            original.key(),
                            original.value()));
            return;
        }
        if ((u -= scenario.lateShare()) < 0 && live) {
            Instant late = eventTime(t).minus(scenario.lateBy());
            emit(sendAt, Kind.LATE, generator.next(late), out);
            return;
        }
        if ((u -= scenario.decoyShare()) < 0 && scenario.unlabelled()) {
            emit(sendAt, Kind.DECOY, generator.decoy(eventTime(t)), out);
            return;
        }
        Mention m = generator.next(eventTime(t));
        emit(sendAt, Kind.MENTION, m, out);
        if (MentionGenerator.addressesBrand(m) && random.nextDouble() < scenario.replyShare()) {
            replies.add(new Scheduled(t + replyDelayNanos(), scheduled++, m));
        }
    }

    /** Log-normal around the median: most answers come within the hour, a few take a day. */
    private long replyDelayNanos() {
        double gauss =
                Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
                        * Math.cos(2 * Math.PI * random.nextDouble());
        double nanos = scenario.replyMedian().toNanos() * Math.exp(0.8 * gauss);
        return (long) Math.min(nanos, Duration.ofDays(1).toNanos());
    }

    private Instant eventTime(long t) {
        long jitter = scenario.jitter().toMillis();
        Instant at = start.plusNanos(t);
        return jitter > 0 ? at.minusMillis(random.nextLong(jitter)) : at;
    }

    private void emit(long sendAt, Kind kind, Mention m, Consumer<Emission> out) {
        byte[] value =
                scenario.unlabelled()
                        ? MentionGenerator.toUnlabelledEvent(m)
                        : MentionGenerator.toEvent(m);
        Emission e = new Emission(sendAt, kind, m, m.id().getBytes(StandardCharsets.UTF_8), value);
        if (kind.counted) {
            sentRecently.addLast(e);
            if (sentRecently.size() > DUPLICATE_MEMORY) {
                sentRecently.removeFirst();
            }
        }
        out.accept(e);
    }

    /**
     * Broken records of the kinds feeds really send: cut off, not JSON, fields missing or wrong.
     */
    private byte[] malformed() {
        long n = malformed++;
        String text =
                switch ((int) (n % 4)) {
                    case 0 -> "{\"id\":\"broken-" + n + "\",\"text\":";
                    case 1 -> "<html><body>502 Bad Gateway</body></html>";
                    case 2 ->
                            "{\"id\":\"broken-"
                                    + n
                                    + "\",\"platform\":\"x\",\"text\":\"Strider ohne Zeitstempel\"}";
                    default ->
                            "{\"id\":\"broken-"
                                    + n
                                    + "\",\"platform\":\"x\",\"created_at\":\"gestern\","
                                    + "\"text\":\"Cardiofit\",\"author\":{\"id\":\"a\"}}";
                };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean within(long t, Duration at, Duration length) {
        return t >= at.toNanos() && t < at.plus(length).toNanos();
    }

    private static double share(String brand) {
        return TextBank.BRANDS.stream()
                .filter(b -> b.name().equals(brand))
                .mapToDouble(GeneratedBrand::share)
                .findFirst()
                .orElseThrow();
    }

    /** Poisson draw: Knuth's method for small means, a rounded normal for large ones. */
    private int poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 30) {
            double gauss =
                    Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
                            * Math.cos(2 * Math.PI * random.nextDouble());
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss));
        }
        double limit = Math.exp(-mean);
        double p = random.nextDouble();
        int k = 0;
        while (p > limit) {
            p *= random.nextDouble();
            k++;
        }
        return k;
    }
}
