package io.echolot.sink.webhook;

import io.echolot.alert.Alert;
import io.echolot.language.OptimaizeLanguageDetector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends alert states to the webhook endpoints with the JDK's async {@link HttpClient}: fans each
 * alert out to the endpoints whose filters it passes, drops a state that arrives twice, has {@link
 * WebhookRenderer} make the bodies, lets each endpoint's {@link EndpointScheduler} decide what may
 * be sent when, signs and sends, and turns each answer into delivered, retry or dead letter.
 *
 * <p>Request headers: {@code Content-Type: application/json}, {@code Idempotency-Key} ({@link
 * Delivery#idempotencyKey()}: a hash of alert id and version, the same on every retry and after a
 * restart), {@code X-Echolot-Alert-Id} ({@link #alertIdHeader percent-encoded}), {@code
 * X-Echolot-Alert-Version}, {@code X-Echolot-Attempt}, {@code X-Echolot-Emitted-At} (epoch millis
 * at which this sink received the alert state) and, with a secret, {@link WebhookSignature}'s
 * {@code X-Echolot-Timestamp} and {@code X-Echolot-Signature}. Every header value is ASCII whatever
 * the alert carries; the readable alert id is in the signed body. TLS certificates and host names
 * are always verified (the JVM's trust store); redirects are not followed.
 *
 * <p>Alerts come from the open internet: a {@link RuntimeException} while rendering, building or
 * sending one delivery, or handling its answer, dead-letters that delivery with the reason and
 * never fails the task (a restored delivery that failed so would otherwise fail every restart).
 *
 * <p>Each endpoint has its own {@link EndpointScheduler}: queue, concurrency limit, token-bucket
 * rate limit, backoff and {@code Retry-After} pause, order per alert and {@code max_queued}, so a
 * slow or dead endpoint holds back only itself. Superseded states are counted in {@code
 * webhooksCoalesced} and never sent. Threading: the HTTP client's threads hand every answer to the
 * task's mailbox; schedulers, timers, metrics and dead letters are touched only by the task thread.
 * Backoffs are processing-time timers, and every time the schedulers read is processing time, so
 * tests drive the writer with a test clock.
 *
 * <p>Checkpoints never wait for an endpoint: {@link #snapshotState} stores every delivery not yet
 * acknowledged (queued, waiting for a retry or in flight) with its attempt count and first-attempt
 * time, and a restored writer sends them again with the same idempotency key, keeping only the
 * newest state of each alert. Only the end of a bounded input waits until each delivery is
 * acknowledged or dead-lettered. Within one run, an (alert id, version) is queued at most once per
 * endpoint.
 */
final class WebhookSinkWriter implements StatefulSinkWriter<Alert, Delivery> {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSinkWriter.class);

    static final String HEADER_IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String HEADER_ALERT_ID = "X-Echolot-Alert-Id";
    static final String HEADER_ALERT_VERSION = "X-Echolot-Alert-Version";
    static final String HEADER_ATTEMPT = "X-Echolot-Attempt";
    static final String HEADER_EMITTED_AT = "X-Echolot-Emitted-At";

    /** Keys remembered per endpoint to drop an alert state that arrives twice in one run. */
    static final int SEEN_KEYS = 10_000;

    /** Longest {@code X-Echolot-Alert-Id} value; the body carries the whole id. */
    static final int MAX_ALERT_ID_HEADER = 512;

    private static final int MAX_REASON_BODY = 300;

    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final DeadLetterTarget deadLetters;
    private final MailboxExecutor mailbox;
    private final ProcessingTimeService timeService;
    private final HttpClient client;
    private final WebhookRenderer renderer;

    private final Counter sent;
    private final Counter retried;
    private final Counter deadLettered;
    private final Counter deduplicated;
    private final Counter coalesced;
    private volatile long lastLatencyMs;
    private volatile int pending;

    WebhookSinkWriter(
            WebhookConfig config,
            WebhookDeadLetters deadLetters,
            WriterInitContext context,
            Collection<Delivery> restored,
            Map<String, String> environment)
            throws IOException {
        this(config, DeadLetterTarget.of(deadLetters), context, restored, environment);
    }

    WebhookSinkWriter(
            WebhookConfig config,
            DeadLetterTarget deadLetters,
            WriterInitContext context,
            Collection<Delivery> restored,
            Map<String, String> environment)
            throws IOException {
        this.deadLetters = deadLetters;
        this.mailbox = context.getMailboxExecutor();
        this.timeService = context.getProcessingTimeService();
        SinkWriterMetricGroup metrics = context.metricGroup();
        this.sent = metrics.counter("webhooksDelivered");
        this.retried = metrics.counter("webhooksRetried");
        this.deadLettered = metrics.counter("webhooksDeadLettered");
        this.deduplicated = metrics.counter("webhooksDeduplicated");
        this.coalesced = metrics.counter("webhooksCoalesced");
        metrics.gauge("webhooksPending", () -> pending);
        metrics.gauge("webhookLatencyMs", () -> lastLatencyMs);

        for (WebhookEndpoint e : config.endpoints()) {
            try {
                String url = e.url() != null ? e.url() : e.urlRef().resolve(environment);
                String secret = e.secret() == null ? null : e.secret().resolve(environment);
                EndpointScheduler scheduler =
                        new EndpointScheduler(
                                e,
                                timeService::getCurrentProcessingTime,
                                () -> ThreadLocalRandom.current().nextDouble());
                endpoints.put(
                        e.name(), new Endpoint(e, URI.create(url.strip()), secret, scheduler));
            } catch (IllegalStateException x) {
                throw new IOException("webhook endpoint " + e.name() + ": " + x.getMessage(), x);
            }
        }
        this.client =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build();
        // loaded here, not at the first alert, so that alert does not wait for the profiles
        this.renderer = new WebhookRenderer(OptimaizeLanguageDetector.create());
        deadLetters.open(context.getTaskInfo().getIndexOfThisSubtask());
        LOG.info(
                "Opening webhook sink writer: {}, dead letters to {}",
                config.endpoints(),
                deadLetters);

        for (Delivery d : restored) {
            Endpoint q = endpoints.get(d.endpoint());
            if (q == null) {
                deadLetter(d, "endpoint " + d.endpoint() + " is no longer configured");
                continue;
            }
            try {
                q.seen.put(d.idempotencyKey(), Boolean.TRUE);
            } catch (RuntimeException e) {
                // only deduplication is lost: still send it
                LOG.warn("Could not remember a restored webhook delivery for {}", q, e);
            }
            if (q.scheduler.restore(d)) {
                coalesced.inc();
            }
        }
        updatePending();
        if (!restored.isEmpty()) {
            LOG.info("Re-sending {} unacknowledged webhook deliveries", restored.size());
            for (Endpoint q : endpoints.values()) {
                pump(q);
            }
        }
    }

    @Override
    public void write(Alert alert, Context context) throws IOException {
        long emittedAt = System.currentTimeMillis();
        WebhookRenderer.Rendering r = renderer.of(alert);
        for (Endpoint q : endpoints.values()) {
            try {
                write(q, alert, r, emittedAt);
            } catch (RuntimeException e) {
                Delivery d =
                        new Delivery(
                                q.endpoint.name(),
                                alert.id(),
                                alert.version(),
                                emittedAt,
                                0,
                                new byte[0],
                                r.alertJsonOrStub());
                deadLetter(
                        d,
                        "endpoint "
                                + q.endpoint.name()
                                + ": could not render the alert: "
                                + describe(e),
                        e);
            }
        }
        updatePending();
    }

    private void write(Endpoint q, Alert alert, WebhookRenderer.Rendering r, long emittedAt)
            throws IOException {
        WebhookEndpoint e = q.endpoint;
        if (!e.filter().matches(alert)) {
            return;
        }
        String key = Delivery.idempotencyKey(alert.id(), alert.version());
        if (q.seen.put(key, Boolean.TRUE) != null) {
            deduplicated.inc();
            return;
        }
        WebhookRenderer.Payload payload = r.forEndpoint(e);
        Delivery d =
                new Delivery(
                        e.name(),
                        alert.id(),
                        alert.version(),
                        emittedAt,
                        0,
                        payload.body(),
                        payload.alertJson());
        switch (q.scheduler.offer(d)) {
            case FULL -> {
                deadLetter(
                        d,
                        "endpoint "
                                + e.name()
                                + " already has "
                                + q.scheduler.alerts()
                                + " other alerts waiting (max_queued)");
                return;
            }
            case COALESCED -> coalesced.inc();
            case QUEUED -> {}
        }
        pump(q);
    }

    /** Starts every send the endpoint's scheduler allows now, and a timer for the next one. */
    private void pump(Endpoint q) throws IOException {
        long at = q.scheduler.dispatch(p -> send(q, p));
        if (at != EndpointScheduler.NO_TIMER) {
            timeService.registerTimer(
                    at,
                    t -> {
                        q.scheduler.timerFired(at);
                        pump(q);
                    });
        }
    }

    private void send(Endpoint q, EndpointScheduler.Pending p) throws IOException {
        Delivery d = p.delivery();
        HttpRequest request;
        try {
            request = request(q, d);
        } catch (RuntimeException e) {
            q.scheduler.abandon(p);
            deadLetter(
                    d,
                    "endpoint "
                            + q.endpoint.name()
                            + ": could not build the request: "
                            + describe(e),
                    e);
            return;
        }
        try {
            client.sendAsync(request, WebhookSinkWriter::bodyOnError)
                    .whenComplete(
                            (response, error) ->
                                    inMailbox(
                                            () -> {
                                                settle(q, p, response, error);
                                                pump(q);
                                            }));
        } catch (RuntimeException e) {
            q.scheduler.abandon(p);
            deadLetter(
                    d,
                    "endpoint "
                            + q.endpoint.name()
                            + ": could not send the request: "
                            + describe(e),
                    e);
        }
    }

    private static HttpRequest request(Endpoint q, Delivery d) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(q.uri)
                        .timeout(q.endpoint.timeout())
                        .header("Content-Type", "application/json; charset=utf-8")
                        .header("User-Agent", "echolot-webhooks/1")
                        .header(HEADER_IDEMPOTENCY_KEY, d.idempotencyKey())
                        .header(HEADER_ALERT_ID, alertIdHeader(d.alertId()))
                        .header(HEADER_ALERT_VERSION, Integer.toString(d.version()))
                        .header(HEADER_ATTEMPT, Integer.toString(d.attempts()))
                        .header(HEADER_EMITTED_AT, Long.toString(d.emittedAtMillis()))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(d.body()));
        if (q.secret != null) {
            // signed at send time, so a retry hours later still passes the replay window
            long timestamp = Instant.now().getEpochSecond();
            request.header(WebhookSignature.HEADER_TIMESTAMP, Long.toString(timestamp))
                    .header(
                            WebhookSignature.HEADER_SIGNATURE,
                            WebhookSignature.sign(q.secret, timestamp, d.body()));
        }
        return request.build();
    }

    /**
     * The alert id as an HTTP header value: printable ASCII other than {@code %} as it is, every
     * other character as the percent-encoded bytes of its UTF-8 (an unpaired surrogate as U+FFFD),
     * cut after whole characters to {@value #MAX_ALERT_ID_HEADER} characters.
     */
    static String alertIdHeader(String alertId) {
        if (alertId == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(alertId.length(), MAX_ALERT_ID_HEADER));
        for (int i = 0; i < alertId.length(); ) {
            int cp = alertId.codePointAt(i);
            i += Character.charCount(cp);
            String encoded;
            if (cp > 0x20 && cp < 0x7F && cp != '%') {
                encoded = String.valueOf((char) cp);
            } else {
                StringBuilder b = new StringBuilder(12);
                ChatEscaping.percentEncode(cp, b);
                encoded = b.toString();
            }
            if (out.length() + encoded.length() > MAX_ALERT_ID_HEADER) {
                break;
            }
            out.append(encoded);
        }
        return out.toString();
    }

    /** Keeps the body of an error answer for the dead-letter reason; ignores it otherwise. */
    private static HttpResponse.BodySubscriber<String> bodyOnError(HttpResponse.ResponseInfo info) {
        return info.statusCode() >= 300
                ? HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8)
                : HttpResponse.BodySubscribers.replacing("");
    }

    /** Handles the outcome of one send; a failure while doing so dead-letters the delivery. */
    private void settle(
            Endpoint q, EndpointScheduler.Pending p, HttpResponse<String> response, Throwable error)
            throws IOException {
        q.scheduler.answered(p);
        try {
            decide(q, p, response, error);
        } catch (RuntimeException e) {
            if (p.isDone()) {
                throw e; // it was writing the dead letter: losing it silently is worse than failing
            }
            q.scheduler.finish(p);
            deadLetter(
                    p.delivery(),
                    "endpoint "
                            + q.endpoint.name()
                            + ": could not handle the answer: "
                            + describe(e),
                    e);
        }
        updatePending();
    }

    private void decide(
            Endpoint q, EndpointScheduler.Pending p, HttpResponse<String> response, Throwable error)
            throws IOException {
        Delivery d = p.delivery();
        WebhookEndpoint e = q.endpoint;
        DeliveryPolicy.Decision decision;
        String reason;
        long retryAfter = 0;
        if (error != null) {
            decision = DeliveryPolicy.classify(error);
            reason = DeliveryPolicy.describe(error);
        } else {
            int status = response.statusCode();
            decision = DeliveryPolicy.classify(status);
            reason = "status " + status + cut(response.body());
            if (status == 429 || status == 503) {
                retryAfter =
                        DeliveryPolicy.retryAfterMillis(
                                response.headers().firstValue("Retry-After").orElse(null),
                                Instant.now());
            }
        }
        switch (decision) {
            case DELIVERED -> {
                q.scheduler.finish(p);
                sent.inc();
                lastLatencyMs = System.currentTimeMillis() - d.emittedAtMillis();
            }
            case PERMANENT -> {
                q.scheduler.finish(p);
                deadLetter(d, "endpoint " + e.name() + " refused the alert for good: " + reason);
            }
            case RETRY -> {
                EndpointScheduler.Retry outcome = q.scheduler.retry(p, retryAfter);
                if (outcome instanceof EndpointScheduler.GaveUp gaveUp) {
                    deadLetter(
                            d,
                            "endpoint "
                                    + e.name()
                                    + ": gave up after "
                                    + d.attempts()
                                    + " attempts in "
                                    + Duration.ofMillis(gaveUp.elapsedMillis()).toSeconds()
                                    + " s, last: "
                                    + reason);
                    return;
                }
                EndpointScheduler.Retrying retrying = (EndpointScheduler.Retrying) outcome;
                if (retrying.superseded()) {
                    coalesced.inc();
                }
                retried.inc();
                LOG.warn(
                        "Webhook endpoint {} failed for alert {} v{} (attempt {}): {};"
                                + " retrying{} in {} ms",
                        e.name(),
                        alertIdHeader(d.alertId()),
                        d.version(),
                        d.attempts(),
                        reason,
                        retrying.superseded()
                                ? " its newer version " + retrying.next().delivery().version()
                                : "",
                        retrying.delayMillis());
            }
        }
    }

    private void deadLetter(Delivery d, String reason) throws IOException {
        deadLetter(d, reason, null);
    }

    private void deadLetter(Delivery d, String reason, RuntimeException cause) throws IOException {
        // whatever broke this delivery must not break its dead letter: no nulls for Kafka
        Delivery letter =
                new Delivery(
                        d.endpoint() == null ? "" : d.endpoint(),
                        d.alertId() == null ? "" : d.alertId(),
                        d.version(),
                        d.emittedAtMillis(),
                        d.attempts(),
                        d.body() == null ? new byte[0] : d.body(),
                        d.alertJson() == null ? WebhookPayloads.stub(null) : d.alertJson());
        // the alert id is input: logged percent-encoded, so it cannot forge log lines
        if (cause != null) {
            LOG.warn(
                    "Webhook delivery of alert {} v{} to {} dead-lettered: {}",
                    alertIdHeader(letter.alertId()),
                    letter.version(),
                    letter.endpoint(),
                    reason,
                    cause);
        } else {
            LOG.warn(
                    "Webhook delivery of alert {} v{} to {} dead-lettered: {}",
                    alertIdHeader(letter.alertId()),
                    letter.version(),
                    letter.endpoint(),
                    reason);
        }
        deadLettered.inc();
        deadLetters.accept(letter, reason);
    }

    private static String describe(RuntimeException e) {
        String d = DeliveryPolicy.describe(e);
        return d.length() > MAX_REASON_BODY ? d.substring(0, MAX_REASON_BODY) + "…" : d;
    }

    private void inMailbox(
            org.apache.flink.util.function.ThrowingRunnable<? extends Exception> action) {
        try {
            mailbox.execute(action, "webhook answer");
        } catch (RejectedExecutionException e) {
            LOG.debug("A webhook answer arrived after the writer closed; the state re-sends it");
        }
    }

    private void updatePending() {
        int n = 0;
        for (Endpoint q : endpoints.values()) {
            n += q.scheduler.deliveries();
        }
        pending = n;
    }

    private boolean anyPending() {
        for (Endpoint q : endpoints.values()) {
            if (!q.scheduler.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        if (endOfInput) {
            // a bounded input ends only when every alert is delivered or dead-lettered
            while (anyPending()) {
                mailbox.yield();
            }
        }
        deadLetters.flush();
    }

    @Override
    public List<Delivery> snapshotState(long checkpointId) {
        List<Delivery> state = new ArrayList<>();
        for (Endpoint q : endpoints.values()) {
            state.addAll(q.scheduler.pending());
        }
        return state;
    }

    @Override
    public void close() {
        deadLetters.close();
    }

    private static String cut(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String b = body.strip().replaceAll("\\s+", " ");
        return ": " + (b.length() > MAX_REASON_BODY ? b.substring(0, MAX_REASON_BODY) + "…" : b);
    }

    /** Where deliveries that cannot be made go: {@link WebhookDeadLetters}, or a list in tests. */
    interface DeadLetterTarget {
        void open(int subtask);

        void accept(Delivery d, String reason) throws IOException;

        void flush() throws IOException;

        void close();

        static DeadLetterTarget of(WebhookDeadLetters letters) {
            return new DeadLetterTarget() {
                @Override
                public void open(int subtask) {
                    letters.open(subtask);
                }

                @Override
                public void accept(Delivery d, String reason) throws IOException {
                    letters.accept(d, reason);
                }

                @Override
                public void flush() throws IOException {
                    letters.flush();
                }

                @Override
                public void close() {
                    letters.close();
                }

                @Override
                public String toString() {
                    return letters.toString();
                }
            };
        }
    }

    /** One endpoint: where to send, how to sign, what it already got, and its scheduler. */
    private static final class Endpoint {
        final WebhookEndpoint endpoint;
        final URI uri;
        final String secret;
        final EndpointScheduler scheduler;

        final LinkedHashMap<String, Boolean> seen =
                new LinkedHashMap<>(16, 0.75f, false) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                        return size() > SEEN_KEYS;
                    }
                };

        Endpoint(WebhookEndpoint endpoint, URI uri, String secret, EndpointScheduler scheduler) {
            this.endpoint = endpoint;
            this.uri = uri;
            this.secret = secret;
            this.scheduler = scheduler;
        }

        @Override
        public String toString() {
            return endpoint.name();
        }
    }
}
