package io.echolot.sink.webhook;

import io.echolot.sink.base.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Decides for one webhook endpoint which delivery may be sent when: its queue (one slot per alert),
 * {@code max_queued}, {@code max_concurrency}, {@code rate_per_second} ({@link TokenBucket}), the
 * backoff of each alert and a {@code Retry-After} pause of the whole endpoint, and when a failing
 * alert state is given up ({@code max_retry_duration}, {@code max_attempts}). No HTTP and no Flink:
 * times come from the given clock (processing-time milliseconds), so tests drive it with a fake
 * clock; the caller sends, reports each outcome back and sets a timer when asked to.
 *
 * <p>Order per alert: only the head of an alert's slot is ever sent, so version n+1 of an alert
 * goes out only after version n was acknowledged, refused for good, or superseded. A newer state
 * replaces the head when the head is not in flight (it takes over the head's retry clock and
 * backoff), or waits behind the head in flight and replaces it if that send fails. A slot holds at
 * most two states, so the endpoint keeps at most {@code max_queued + max_concurrency} deliveries.
 *
 * <p>Not thread-safe: the writer calls it from the task thread only.
 */
final class EndpointScheduler {

    /** What {@link #dispatch} returns when no new timer is needed. */
    static final long NO_TIMER = Long.MIN_VALUE;

    /** What {@link #offer} did with a new alert state. */
    enum Offer {
        /** Queued; nothing was dropped. */
        QUEUED,
        /** Queued in place of an older state of the alert, or dropped as older than one queued. */
        COALESCED,
        /** Dropped: {@code max_queued} other alerts already wait. */
        FULL
    }

    /** What a failed send leads to ({@link #retry}). */
    sealed interface Retry permits Retrying, GaveUp {}

    /**
     * The alert is sent again: {@code next} (the failed state, or the newer state that took its
     * place) not before {@code delayMillis} from now.
     */
    record Retrying(Pending next, long delayMillis, boolean superseded) implements Retry {}

    /** The failed state is out of the queue: its retries are used up. */
    record GaveUp(long elapsedMillis) implements Retry {}

    /** Starts one send; may give it back at once with {@link #abandon}. */
    @FunctionalInterface
    interface Sender<E extends Exception> {
        void send(Pending p) throws E;
    }

    private final WebhookEndpoint endpoint;
    private final LongSupplier clock;
    private final DoubleSupplier jitter;
    private final Backoff retry;
    private final TokenBucket rate;

    /** One slot per alert with a pending state, in the order the alerts first came. */
    private final LinkedHashMap<String, AlertSlot> alerts = new LinkedHashMap<>();

    private int inFlight;
    private long pausedUntil;
    private long timerAt;

    /**
     * @param clock processing time in milliseconds
     * @param jitter a random number in [0, 1) per retry, spreading the backoffs
     */
    EndpointScheduler(WebhookEndpoint endpoint, LongSupplier clock, DoubleSupplier jitter) {
        this.endpoint = endpoint;
        this.clock = clock;
        this.jitter = jitter;
        this.retry = new Backoff(endpoint.initialBackoff(), endpoint.maxBackoff());
        this.rate = new TokenBucket(endpoint.ratePerSecond());
    }

    /** Queues a new state of an alert, unless {@code max_queued} other alerts wait already. */
    Offer offer(Delivery d) {
        AlertSlot slot = alerts.get(d.alertId());
        if (slot == null) {
            if (alerts.size() >= endpoint.maxQueued()) {
                return Offer.FULL;
            }
            slot = new AlertSlot(d.alertId());
            slot.head = new Pending(d, slot);
            alerts.put(d.alertId(), slot);
            return Offer.QUEUED;
        }
        Pending p = new Pending(d, slot);
        Pending newest = slot.waiting != null ? slot.waiting : slot.head;
        if (d.version() <= newest.delivery.version()) {
            // an older state than one already waiting: the receiver needs the newer one only
            return Offer.COALESCED;
        }
        if (slot.head.inFlight) {
            Pending replaced = slot.waiting;
            slot.waiting = p;
            return replaced != null ? Offer.COALESCED : Offer.QUEUED;
        }
        p.takeOver(slot.head);
        slot.head.done = true;
        slot.head = p;
        return Offer.COALESCED;
    }

    /**
     * Puts a delivery from a checkpoint back, over {@code max_queued} if need be: of several states
     * of one alert only the newest is kept, with the oldest retry clock and the longest backoff.
     *
     * @return whether another state of the alert was dropped
     */
    boolean restore(Delivery d) {
        AlertSlot slot = alerts.get(d.alertId());
        Pending p = new Pending(d, null);
        p.failures = d.attempts();
        if (slot == null) {
            slot = new AlertSlot(d.alertId());
            alerts.put(d.alertId(), slot);
            p.slot = slot;
            slot.head = p;
            return false;
        }
        p.slot = slot;
        // what was in flight at the checkpoint has no answer now: nothing waits for it
        Pending older = slot.head;
        if (d.version() < older.delivery.version()) {
            Pending tmp = older;
            older = p;
            p = tmp;
        }
        long first = older.delivery.firstAttemptMillis();
        long own = p.delivery.firstAttemptMillis();
        if (first != 0 && (own == 0 || first < own)) {
            p.delivery = p.delivery.withFirstAttempt(first);
        }
        p.failures = Math.max(p.failures, older.failures);
        slot.head = p;
        return true;
    }

    /**
     * Hands every send the endpoint's limits allow now to {@code sender}, each with its attempt
     * counted, and says when to call again.
     *
     * @return the time for a new timer that calls {@link #timerFired} and this again, or {@link
     *     #NO_TIMER} when none is needed (nothing waits for time, or an earlier timer is set)
     */
    <E extends Exception> long dispatch(Sender<E> sender) throws E {
        long now = clock.getAsLong();
        long wakeAt = Long.MAX_VALUE;
        if (now < pausedUntil) {
            wakeAt = pausedUntil;
        } else {
            // a copy: a send that fails at once leaves the queue while this loop runs
            slots:
            for (AlertSlot slot : List.copyOf(alerts.values())) {
                Pending p = slot.head;
                // only the head of an alert is sent: its next state waits for the answer
                while (p != null && !p.done && !p.inFlight) {
                    if (inFlight >= endpoint.maxConcurrency()) {
                        break slots; // the next answer dispatches again
                    }
                    if (p.notBefore > now) {
                        wakeAt = Math.min(wakeAt, p.notBefore);
                        break;
                    }
                    long tokenAt = rate.acquire(now);
                    if (tokenAt > now) {
                        wakeAt = Math.min(wakeAt, tokenAt);
                        break slots;
                    }
                    p.delivery = p.delivery.nextAttempt(now);
                    p.inFlight = true;
                    inFlight++;
                    sender.send(p);
                    if (slot.head == p) {
                        break;
                    }
                    p = slot.head; // it was given back at once: the alert's next state may go now
                }
            }
        }
        if (wakeAt != Long.MAX_VALUE && (timerAt == 0 || wakeAt < timerAt)) {
            timerAt = wakeAt;
            return wakeAt;
        }
        return NO_TIMER;
    }

    /** The timer {@link #dispatch} asked for at {@code at} fired. */
    void timerFired(long at) {
        if (timerAt == at) {
            timerAt = 0;
        }
    }

    /** The send of {@code p} ended, with an answer or an error: its place in flight is free. */
    void answered(Pending p) {
        p.inFlight = false;
        inFlight--;
    }

    /** A send that could not even start: its place is free and it leaves the queue for good. */
    void abandon(Pending p) {
        answered(p);
        finish(p);
    }

    /**
     * Takes a delivery out of the queue for good (acknowledged, refused or dead-lettered); the
     * alert's next state, if one waits, becomes the head.
     */
    void finish(Pending p) {
        p.done = true;
        AlertSlot slot = p.slot;
        if (slot.waiting == p) {
            slot.waiting = null;
        } else if (slot.head == p) {
            if (slot.waiting != null) {
                slot.head = slot.waiting;
                slot.waiting = null;
            } else {
                slot.head = null;
                alerts.remove(slot.alertId, slot);
            }
        }
    }

    /**
     * An answered send of {@code p} failed for now. A newer state of the alert waiting behind it is
     * retried instead; otherwise {@code p} is, unless its retries are used up (then it leaves the
     * queue). The backoff grows with the alert's failures, ends no later than {@code
     * max_retry_duration} after the first send, and lasts at least {@code retryAfterMillis}, for
     * which the whole endpoint pauses.
     *
     * @param retryAfterMillis what the receiver's {@code Retry-After} asked for, 0 for nothing
     */
    Retry retry(Pending p, long retryAfterMillis) {
        Delivery d = p.delivery;
        long now = clock.getAsLong();
        long deadline = saturatedAdd(d.firstAttemptMillis(), endpoint.maxRetryDuration());
        AlertSlot slot = p.slot;
        Pending next = p;
        if (slot.waiting != null) {
            // a newer state of the alert waits: it is retried instead of this one
            next = slot.waiting;
            slot.waiting = null;
            next.takeOver(p);
            p.done = true;
            slot.head = next;
        } else if (now >= deadline || d.attempts() >= endpoint.maxAttempts()) {
            finish(p);
            return new GaveUp(now - d.firstAttemptMillis());
        }
        next.failures++;
        long delay = retry.millis(next.failures, jitter.getAsDouble());
        // the last retry is at the end of max_retry_duration, not up to a backoff later
        delay = Math.min(delay, Math.max(0, deadline - now));
        if (retryAfterMillis > 0) {
            // the receiver said when it can take more: pause the whole endpoint
            delay = Math.max(delay, retryAfterMillis);
            pausedUntil = Math.max(pausedUntil, now + retryAfterMillis);
        }
        next.notBefore = now + delay;
        return new Retrying(next, delay, next != p);
    }

    /** Every delivery not yet acknowledged, per alert the head first: the checkpoint's share. */
    List<Delivery> pending() {
        List<Delivery> out = new ArrayList<>();
        for (AlertSlot slot : alerts.values()) {
            out.add(slot.head.delivery);
            if (slot.waiting != null) {
                out.add(slot.waiting.delivery);
            }
        }
        return out;
    }

    /** Alerts with a pending state. */
    int alerts() {
        return alerts.size();
    }

    /** Pending deliveries: one or two per alert. */
    int deliveries() {
        int n = 0;
        for (AlertSlot slot : alerts.values()) {
            n += slot.waiting == null ? 1 : 2;
        }
        return n;
    }

    boolean isEmpty() {
        return alerts.isEmpty();
    }

    /** Sends in flight. */
    int inFlight() {
        return inFlight;
    }

    private static long saturatedAdd(long at, Duration d) {
        long millis = d.toMillis();
        return at > Long.MAX_VALUE - millis ? Long.MAX_VALUE : at + millis;
    }

    @Override
    public String toString() {
        return endpoint.name();
    }

    /** One delivery in the queue; the handle by which its sender reports the outcome. */
    static final class Pending {
        private Delivery delivery;
        private AlertSlot slot;
        private long notBefore;
        private boolean inFlight;

        /** Failed sends of this alert since its last success or refusal: picks the backoff. */
        private int failures;

        /** Delivered, dead-lettered or superseded: out of the queue. */
        private boolean done;

        private Pending(Delivery delivery, AlertSlot slot) {
            this.delivery = delivery;
            this.slot = slot;
        }

        /** The delivery as it is sent now, its attempt counted. */
        Delivery delivery() {
            return delivery;
        }

        /** Out of the queue: acknowledged, refused, dead-lettered or superseded. */
        boolean isDone() {
            return done;
        }

        /**
         * Takes the place of an older state of the same alert that was not acknowledged: the
         * endpoint failed the alert since then, so the retry clock and the backoff go on.
         */
        private void takeOver(Pending older) {
            delivery = delivery.withFirstAttempt(older.delivery.firstAttemptMillis());
            failures = older.failures;
            notBefore = older.notBefore;
        }
    }

    /**
     * The pending states of one alert: the head, the only one ever sent, and while it is in flight
     * the newest state behind it.
     */
    private static final class AlertSlot {
        final String alertId;
        Pending head;
        Pending waiting;

        AlertSlot(String alertId) {
            this.alertId = alertId;
        }
    }
}
