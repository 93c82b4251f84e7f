package io.echolot.tools;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the generator plays: the regular mix at a mean rate (with seasonality, out-of-order, late,
 * duplicate, malformed and decoy events) for a duration after an optional history, and the scripted
 * incidents at known offsets from the start of the live part.
 *
 * @param rate mean mentions per second of the regular mix
 * @param duration length of the live part (sent in real time)
 * @param history length of the history before the live part (sent at once, event times in the past)
 * @param jitter events are up to this much older than their send time (out of order)
 * @param seasonality whether the rate follows the time of day and the day of week
 * @param unlabelled events carry no brands, topics, language or sentiment (decoys only then)
 * @param malformedShare share of records that are not valid mentions
 * @param duplicateShare share of mentions sent twice (same id)
 * @param lateShare share of mentions sent {@code lateBy} after their event time
 * @param lateBy how late the late mentions are
 * @param decoyShare share of posts naming a brand's homonym (unlabelled only)
 * @param burst a negative burst, or null
 * @param spike a viral spike, or null
 * @param adverse the posts about a side effect, possibly none
 * @param replyShare share of the posts addressing a brand's account that the brand answers
 * @param replyMedian median delay of those answers (log-normal, as social-media teams answer)
 * @param complaint a complaint sent before the history and answered late (or never), or null
 * @param story a story no rule watches rising for one brand (an emerging topic), or null
 */
record Scenario(
        double rate,
        Duration duration,
        Duration history,
        Duration jitter,
        boolean seasonality,
        boolean unlabelled,
        double malformedShare,
        double duplicateShare,
        double lateShare,
        Duration lateBy,
        double decoyShare,
        Burst burst,
        Spike spike,
        List<Adverse> adverse,
        double replyShare,
        Duration replyMedian,
        Complaint complaint,
        Story story) {

    /**
     * Original posts of many authors about a story no rule of the example rules watches (a rumoured
     * batch recall): {@code rate} per second from {@code at} for {@code length}.
     */
    record Story(String brand, Duration at, Duration length, double rate) {}

    /**
     * Extra negative mentions of one brand: {@code rate} per second from {@code at} for {@code
     * length}.
     */
    record Burst(String brand, Duration at, Duration length, double rate) {}

    /**
     * A viral post of one brand and its reshare cascade: the brand's volume is {@code factor} times
     * its regular volume from {@code at} for {@code length}.
     */
    record Spike(String brand, Duration at, Duration length, double factor) {}

    /** One post about a side effect of {@code brand} at {@code at}. */
    record Adverse(String brand, Duration at) {}

    /**
     * A customer complaint addressed to {@code brand}, {@code age} before the live start (sent
     * first, before the history), answered by the brand {@code replyAt} after the live start (null:
     * never).
     */
    record Complaint(String brand, Duration age, Duration replyAt) {}

    Scenario {
        adverse = List.copyOf(adverse);
        List<String> problems = new ArrayList<>();
        if (!(rate > 0 && rate <= 1_000_000)) {
            problems.add("--rate must be in (0, 1000000], got " + rate);
        }
        share(problems, "--malformed-share", malformedShare);
        share(problems, "--duplicate-share", duplicateShare);
        share(problems, "--late-share", lateShare);
        share(problems, "--decoy-share", decoyShare);
        share(problems, "--reply-share", replyShare);
        if (replyMedian.isNegative() || replyMedian.isZero()) {
            problems.add("--reply-median must be positive, got " + replyMedian);
        }
        if (complaint != null) {
            if (!TextBank.COMPLAINTS.containsKey(complaint.brand())) {
                problems.add(
                        "--complaint-brand must be one of "
                                + TextBank.COMPLAINTS.keySet()
                                + ", got "
                                + complaint.brand());
            }
            if (complaint.age().isNegative()) {
                problems.add("--complaint-age must not be negative, got " + complaint.age());
            }
        }
        if (malformedShare + duplicateShare + lateShare + decoyShare >= 1) {
            problems.add(
                    "the shares of malformed, duplicate, late and decoy events must sum to < 1");
        }
        for (Duration d : new Duration[] {duration, history, jitter, lateBy}) {
            if (d.isNegative()) {
                problems.add("durations must not be negative, got " + d);
            }
        }
        List<String> brands = MentionGenerator.brandNames();
        if (burst != null) {
            brand(problems, "--burst-brand", burst.brand(), brands);
            if (!(burst.rate() > 0)) {
                problems.add("--burst-rate must be positive, got " + burst.rate());
            }
        }
        if (spike != null) {
            brand(problems, "--spike-brand", spike.brand(), brands);
            if (!(spike.factor() > 1)) {
                problems.add("--spike-factor must be greater than 1, got " + spike.factor());
            }
        }
        if (story != null) {
            if (!TextBank.STORIES.containsKey(story.brand())) {
                problems.add(
                        "--story-brand must be one of "
                                + TextBank.STORIES.keySet()
                                + ", got "
                                + story.brand());
            }
            if (!(story.rate() > 0)) {
                problems.add("--story-rate must be positive, got " + story.rate());
            }
        }
        for (Adverse a : adverse) {
            if (TextBank.ADVERSE.stream().noneMatch(p -> p.brand().equals(a.brand()))) {
                problems.add(
                        "--adverse-brand "
                                + a.brand()
                                + " has no side-effect posts; use cardiofit (a pharma brand)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static void share(List<String> problems, String flag, double v) {
        if (!(v >= 0 && v <= 1)) {
            problems.add(flag + " must be in [0, 1], got " + v);
        }
    }

    private static void brand(List<String> problems, String flag, String b, List<String> brands) {
        if (!brands.contains(b)) {
            problems.add(flag + " must be one of the generated brands " + brands + ", got " + b);
        }
    }
}
