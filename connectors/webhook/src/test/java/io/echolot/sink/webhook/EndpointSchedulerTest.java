package io.echolot.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * One endpoint's scheduling on a fake clock: no HTTP; the test plays the sender and the receiver's
 * answers. The jitter is fixed at 0, so each backoff is half its base: 1 s initial gives 0.5 s, 1
 * s, 2 s, … up to half of the maximum.
 */
class EndpointSchedulerTest {

    /** Processing time is wall-clock time in a task; 0 means "never sent" in a delivery. */
    private static final long T0 = 1_700_000_000_000L;

    private final FakeClock clock = new FakeClock();
    private final List<Sent> sent = new ArrayList<>();

    @Test
    void aRetryAfterPausesOnlyItsEndpoint() {
        EndpointScheduler a = scheduler(endpoint("a").withLimits(1, 1000, 100));
        EndpointScheduler b = scheduler(endpoint("b").withLimits(1, 1000, 100));
        for (EndpointScheduler s : List.of(a, b)) {
            s.offer(delivery(s, "x", 1));
            s.offer(delivery(s, "y", 1));
            dispatch(s);
        }
        assertThat(sentAt()).containsExactly(tuple("a", "x", 0L), tuple("b", "x", 0L));

        // a answers x with 503 and Retry-After: 30 s, b acknowledges x
        EndpointScheduler.Pending ax = sent.get(0).pending;
        a.answered(ax);
        EndpointScheduler.Retry retry = a.retry(ax, 30_000);
        EndpointScheduler.Pending bx = sent.get(1).pending;
        b.answered(bx);
        b.finish(bx);
        clock.advance(1);
        long timer = dispatch(a);
        dispatch(b);

        // y is ready at a too, but a is paused as a whole; b goes on
        assertThat(retry).isInstanceOf(EndpointScheduler.Retrying.class);
        assertThat(((EndpointScheduler.Retrying) retry).delayMillis()).isEqualTo(30_000);
        assertThat(timer).isEqualTo(T0 + 30_000);
        assertThat(sentAt()).endsWith(tuple("b", "y", 1L));
        assertThat(sent).hasSize(3);

        clock.advance(30_000 - 2);
        assertThat(dispatch(a)).isEqualTo(EndpointScheduler.NO_TIMER);
        assertThat(sent).hasSize(3);
        clock.advance(1);
        a.timerFired(timer);
        dispatch(a);
        // the paused alert first (concurrency 1): the queue keeps its order
        assertThat(sentAt()).endsWith(tuple("a", "x", 30_000L));
        assertThat(sent.get(3).pending.delivery().attempts()).isEqualTo(2);
    }

    @Test
    void theTokenBucketSpacesDeliveriesAfterABurstOfOneSecondsWorth() {
        EndpointScheduler s = scheduler(endpoint("a").withLimits(10, 2, 100));
        for (String id : List.of("a", "b", "c", "d", "e")) {
            s.offer(delivery(s, id, 1));
        }

        runTimers(s);

        assertThat(sentAt())
                .containsExactly(
                        tuple("a", "a", 0L),
                        tuple("a", "b", 0L),
                        tuple("a", "c", 500L),
                        tuple("a", "d", 1_000L),
                        tuple("a", "e", 1_500L));
    }

    @Test
    void aSlowRateStillSendsOneThenWaitsForTheNextToken() {
        EndpointScheduler s = scheduler(endpoint("a").withLimits(10, 0.5, 100));
        s.offer(delivery(s, "a", 1));
        s.offer(delivery(s, "b", 1));

        runTimers(s);

        assertThat(sentAt()).containsExactly(tuple("a", "a", 0L), tuple("a", "b", 2_000L));
    }

    @Test
    void concurrencyNeverExceedsTheLimitAndEachAnswerLetsTheNextOneGo() {
        EndpointScheduler s = scheduler(endpoint("a").withLimits(3, 1000, 100));
        List<Integer> inFlightAtSend = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            s.offer(delivery(s, "alert-" + i, 1));
        }

        // held back by concurrency only: no timer, the next answer dispatches again
        assertThat(dispatch(s, inFlightAtSend)).isEqualTo(EndpointScheduler.NO_TIMER);
        assertThat(sent).hasSize(3);
        int answered = 0;
        while (answered < sent.size()) {
            EndpointScheduler.Pending p = sent.get(answered++).pending;
            s.answered(p);
            s.finish(p);
            clock.advance(10);
            dispatch(s, inFlightAtSend);
        }

        assertThat(inFlightAtSend).hasSize(10).allSatisfy(n -> assertThat(n).isBetween(1, 3));
        assertThat(inFlightAtSend).contains(3);
        assertThat(sent)
                .extracting(x -> x.pending.delivery().alertId())
                .containsExactly(
                        "alert-0", "alert-1", "alert-2", "alert-3", "alert-4", "alert-5", "alert-6",
                        "alert-7", "alert-8", "alert-9");
        assertThat(s.isEmpty()).isTrue();
        assertThat(s.inFlight()).isZero();
    }

    @Test
    void alertsGoOutInTheOrderTheyFirstCameAndANewerStateTakesTheOlderOnesPlace() {
        EndpointScheduler s = scheduler(endpoint("a").withLimits(10, 1000, 100));
        assertThat(s.offer(delivery(s, "a", 1))).isEqualTo(EndpointScheduler.Offer.QUEUED);
        assertThat(s.offer(delivery(s, "b", 1))).isEqualTo(EndpointScheduler.Offer.QUEUED);
        assertThat(s.offer(delivery(s, "c", 1))).isEqualTo(EndpointScheduler.Offer.QUEUED);
        assertThat(s.offer(delivery(s, "a", 2))).isEqualTo(EndpointScheduler.Offer.COALESCED);

        dispatch(s);

        assertThat(sent)
                .extracting(
                        x -> x.pending.delivery().alertId(), x -> x.pending.delivery().version())
                .containsExactly(tuple("a", 2), tuple("b", 1), tuple("c", 1));
    }

    @Test
    void aStateOlderThanOneQueuedIsDropped() {
        EndpointScheduler s = scheduler(endpoint("a"));
        s.offer(delivery(s, "a", 2));

        assertThat(s.offer(delivery(s, "a", 1))).isEqualTo(EndpointScheduler.Offer.COALESCED);
        assertThat(s.offer(delivery(s, "a", 2))).isEqualTo(EndpointScheduler.Offer.COALESCED);
        assertThat(s.pending()).extracting(Delivery::version).containsExactly(2);
    }

    @Test
    void aNewerStateWaitsBehindTheOneInFlightAndIsRetriedInItsPlaceWhenItFails() {
        EndpointScheduler s = scheduler(endpoint("a").withLimits(10, 1000, 100));
        s.offer(delivery(s, "a", 1));
        dispatch(s);
        assertThat(s.offer(delivery(s, "a", 2))).isEqualTo(EndpointScheduler.Offer.QUEUED);
        assertThat(s.offer(delivery(s, "a", 3))).isEqualTo(EndpointScheduler.Offer.COALESCED);
        assertThat(s.pending()).extracting(Delivery::version).containsExactly(1, 3);
        clock.advance(100);
        dispatch(s);
        assertThat(sent).hasSize(1);

        EndpointScheduler.Pending v1 = sent.get(0).pending;
        s.answered(v1);
        EndpointScheduler.Retry retry = s.retry(v1, 0);

        assertThat(retry).isInstanceOf(EndpointScheduler.Retrying.class);
        EndpointScheduler.Retrying r = (EndpointScheduler.Retrying) retry;
        assertThat(r.superseded()).isTrue();
        assertThat(r.next().delivery().version()).isEqualTo(3);
        assertThat(r.delayMillis()).isEqualTo(500);
        assertThat(v1.isDone()).isTrue();
        assertThat(s.pending()).extracting(Delivery::version).containsExactly(3);
        runTimers(s);
        Delivery v3 = sent.get(1).pending.delivery();
        assertThat(v3.version()).isEqualTo(3);
        assertThat(v3.attempts()).isEqualTo(1);
        // the retry clock of the alert goes on from the first send of v1
        assertThat(v3.firstAttemptMillis()).isEqualTo(T0);
        assertThat(sent.get(1).at).isEqualTo(600);
    }

    @Test
    void anAcknowledgedStateLetsTheStateBehindItGoNext() {
        EndpointScheduler s = scheduler(endpoint("a").withLimits(10, 1000, 100));
        s.offer(delivery(s, "a", 1));
        dispatch(s);
        s.offer(delivery(s, "a", 2));
        EndpointScheduler.Pending v1 = sent.get(0).pending;

        s.answered(v1);
        s.finish(v1);
        dispatch(s);

        assertThat(sent).extracting(x -> x.pending.delivery().version()).containsExactly(1, 2);
        assertThat(sent.get(1).pending.delivery().attempts()).isEqualTo(1);
    }

    @Test
    void atMaxQueuedAnotherAlertIsRefusedButAWaitingAlertStillTakesNewerStates() {
        EndpointScheduler s = scheduler(endpoint("a").withLimits(1, 1000, 2));
        assertThat(s.offer(delivery(s, "a", 1))).isEqualTo(EndpointScheduler.Offer.QUEUED);
        assertThat(s.offer(delivery(s, "b", 1))).isEqualTo(EndpointScheduler.Offer.QUEUED);

        assertThat(s.offer(delivery(s, "c", 1))).isEqualTo(EndpointScheduler.Offer.FULL);
        assertThat(s.offer(delivery(s, "b", 2))).isEqualTo(EndpointScheduler.Offer.COALESCED);
        assertThat(s.alerts()).isEqualTo(2);
        assertThat(s.pending())
                .extracting(Delivery::alertId, Delivery::version)
                .containsExactly(tuple("a", 1), tuple("b", 2));
    }

    @Test
    void givesUpMaxRetryDurationAfterTheFirstSendWithTheLastRetryAtItsEnd() {
        EndpointScheduler s =
                scheduler(
                        endpoint("a")
                                .withRetries(
                                        WebhookEndpoint.UNBOUNDED_ATTEMPTS,
                                        Duration.ofSeconds(4),
                                        Duration.ofMinutes(1),
                                        Duration.ofSeconds(5))
                                .withMaxRetryDuration(Duration.ofSeconds(10)));
        s.offer(delivery(s, "a", 1));
        dispatch(s);
        EndpointScheduler.Retry last = null;
        while (!s.isEmpty()) {
            EndpointScheduler.Pending p = sent.get(sent.size() - 1).pending;
            s.answered(p);
            last = s.retry(p, 0);
            runTimers(s);
        }

        // backoffs 2 s, 4 s, then 8 s cut to the 4 s left of the 10 s
        assertThat(sent).extracting(x -> x.at).containsExactly(0L, 2_000L, 6_000L, 10_000L);
        assertThat(last).isEqualTo(new EndpointScheduler.GaveUp(10_000));
        assertThat(sent.get(3).pending.delivery().attempts()).isEqualTo(4);
    }

    @Test
    void givesUpWhenMaxAttemptsAreUsedUp() {
        EndpointScheduler s =
                scheduler(
                        endpoint("a")
                                .withRetries(
                                        3,
                                        Duration.ofSeconds(1),
                                        Duration.ofMinutes(1),
                                        Duration.ofSeconds(5)));
        s.offer(delivery(s, "a", 1));
        dispatch(s);
        List<EndpointScheduler.Retry> outcomes = new ArrayList<>();
        while (!s.isEmpty()) {
            EndpointScheduler.Pending p = sent.get(sent.size() - 1).pending;
            s.answered(p);
            outcomes.add(s.retry(p, 0));
            runTimers(s);
        }

        assertThat(sent).hasSize(3);
        assertThat(outcomes.get(2)).isInstanceOf(EndpointScheduler.GaveUp.class);
        assertThat(outcomes.subList(0, 2)).allMatch(EndpointScheduler.Retrying.class::isInstance);
    }

    @Test
    void aSendGivenBackAtOnceFreesItsPlaceForTheNextAlert() {
        EndpointScheduler s = scheduler(endpoint("a").withLimits(1, 1000, 100));
        s.offer(delivery(s, "broken", 1));
        s.offer(delivery(s, "good", 1));

        s.dispatch(
                p -> {
                    sent.add(new Sent("a", p, clock.now - T0));
                    if (p.delivery().alertId().equals("broken")) {
                        s.abandon(p);
                    }
                });

        assertThat(sent)
                .extracting(x -> x.pending.delivery().alertId())
                .containsExactly("broken", "good");
        assertThat(s.pending()).extracting(Delivery::alertId).containsExactly("good");
        assertThat(s.inFlight()).isEqualTo(1);
    }

    @Test
    void ofTwoRestoredStatesTheNewerGoesOnWithTheOlderClockAndBackoff() {
        EndpointScheduler s = scheduler(endpoint("a"));
        Delivery v1 = new Delivery("a", "a", 1, T0 - 60_000, 4, new byte[0], new byte[0], T0 - 1);
        Delivery v2 = new Delivery("a", "a", 2, T0 - 30_000, 0, new byte[0], new byte[0]);

        assertThat(s.restore(v2)).isFalse();
        assertThat(s.restore(v1)).isTrue();

        assertThat(s.pending())
                .singleElement()
                .satisfies(
                        d -> {
                            assertThat(d.version()).isEqualTo(2);
                            assertThat(d.firstAttemptMillis()).isEqualTo(T0 - 1);
                        });
        dispatch(s);
        EndpointScheduler.Pending p = sent.get(0).pending;
        s.answered(p);
        // the fifth failure of the alert: base 1 s doubled 4 times, half of it with no jitter
        assertThat(((EndpointScheduler.Retrying) s.retry(p, 0)).delayMillis()).isEqualTo(8_000);
    }

    @Test
    void asksForATimerOnlyWhenNoEarlierOneIsSet() {
        EndpointScheduler s = scheduler(endpoint("a").withLimits(10, 1, 100));
        s.offer(delivery(s, "a", 1));
        s.offer(delivery(s, "b", 1));

        long timer = dispatch(s);
        assertThat(timer).isEqualTo(T0 + 1_000);
        assertThat(dispatch(s)).isEqualTo(EndpointScheduler.NO_TIMER);
        s.timerFired(timer - 1); // a timer set before: not the one that counts
        assertThat(dispatch(s)).isEqualTo(EndpointScheduler.NO_TIMER);
        s.timerFired(timer);
        assertThat(dispatch(s)).isEqualTo(timer);
        assertThat(sent).hasSize(1);
    }

    // ---------------------------------------------------------------------------------------

    private EndpointScheduler scheduler(WebhookEndpoint e) {
        return new EndpointScheduler(e, clock, () -> 0.0);
    }

    private static WebhookEndpoint endpoint(String name) {
        return WebhookEndpoint.of(
                name, "https://" + name + ".example/hook", WebhookFormat.JSON, null);
    }

    private Delivery delivery(EndpointScheduler s, String alertId, int version) {
        byte[] body = (alertId + ":" + version).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new Delivery(s.toString(), alertId, version, clock.now, 0, body, body);
    }

    private long dispatch(EndpointScheduler s) {
        return s.dispatch(p -> sent.add(new Sent(s.toString(), p, clock.now - T0)));
    }

    private long dispatch(EndpointScheduler s, List<Integer> inFlightAtSend) {
        return s.dispatch(
                p -> {
                    inFlightAtSend.add(s.inFlight());
                    sent.add(new Sent(s.toString(), p, clock.now - T0));
                });
    }

    /** Dispatches, then moves the clock to each timer asked for, as the writer's timers do. */
    private void runTimers(EndpointScheduler s) {
        long timer = dispatch(s);
        while (timer != EndpointScheduler.NO_TIMER) {
            clock.now = Math.max(clock.now, timer);
            s.timerFired(timer);
            timer = dispatch(s);
        }
    }

    /** (endpoint, alert id, ms after T0) of each send, in order. */
    private List<org.assertj.core.groups.Tuple> sentAt() {
        List<org.assertj.core.groups.Tuple> out = new ArrayList<>();
        for (Sent x : sent) {
            out.add(tuple(x.endpoint, x.pending.delivery().alertId(), x.at));
        }
        return out;
    }

    private record Sent(String endpoint, EndpointScheduler.Pending pending, long at) {}

    private static final class FakeClock implements LongSupplier {
        long now = T0;

        void advance(long millis) {
            now += millis;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }
}
