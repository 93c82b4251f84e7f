package io.echolot.sink.webhook;

import io.echolot.alert.Alert;
import io.echolot.language.LanguageDetector;
import io.echolot.language.OptimaizeLanguageDetector;
import io.echolot.model.TopMention;
import io.echolot.sink.elasticsearch.RetryPolicy;
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
import java.util.HashMap;
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
 * Sends alert states to the webhook endpoints with the JDK's async {@link HttpClient}.
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
 * <p>Each endpoint has its own queue, concurrency limit, token-bucket rate limit, backoff and
 * {@code Retry-After} pause, so a slow or dead endpoint holds back only itself. Threading: the HTTP
 * client's threads hand every answer to the task's mailbox; queues, timers, metrics and dead
 * letters are touched only by the task thread. Backoffs are processing-time timers.
 *
 * <p>Checkpoints never wait for an endpoint: {@link #snapshotState} stores every delivery not yet
 * acknowledged (queued, waiting for a retry or in flight), and a restored writer sends them again
 * with the same idempotency key. Only the end of a bounded input waits until each delivery is
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

    private final Map<String, EndpointQueue> queues = new LinkedHashMap<>();
    private final DeadLetterTarget deadLetters;
    private final MailboxExecutor mailbox;
    private final ProcessingTimeService timeService;
    private final HttpClient client;
    private final LanguageDetector languages;

    private final Counter sent;
    private final Counter retried;
    private final Counter deadLettered;
    private final Counter deduplicated;
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
        metrics.gauge("webhooksPending", () -> pending);
        metrics.gauge("webhookLatencyMs", () -> lastLatencyMs);

        for (WebhookEndpoint e : config.endpoints()) {
            try {
                String url = e.url() != null ? e.url() : e.urlRef().resolve(environment);
                String secret = e.secret() == null ? null : e.secret().resolve(environment);
                queues.put(e.name(), new EndpointQueue(e, URI.create(url.strip()), secret));
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
        this.languages = OptimaizeLanguageDetector.create();
        deadLetters.open(context.getTaskInfo().getIndexOfThisSubtask());
        LOG.info(
                "Opening webhook sink writer: {}, dead letters to {}",
                config.endpoints(),
                deadLetters);

        for (Delivery d : restored) {
            EndpointQueue q = queues.get(d.endpoint());
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
            q.pending.add(new Pending(d));
        }
        updatePending();
        if (!restored.isEmpty()) {
            LOG.info("Re-sending {} unacknowledged webhook deliveries", restored.size());
            for (EndpointQueue q : queues.values()) {
                pump(q);
            }
        }
    }

    @Override
    public void write(Alert alert, Context context) throws IOException {
        Rendering r = new Rendering(alert, System.currentTimeMillis());
        for (EndpointQueue q : queues.values()) {
            try {
                write(q, r);
            } catch (RuntimeException e) {
                Delivery d =
                        new Delivery(
                                q.endpoint.name(),
                                alert.id(),
                                alert.version(),
                                r.emittedAt,
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

    private void write(EndpointQueue q, Rendering r) throws IOException {
        Alert alert = r.alert;
        WebhookEndpoint e = q.endpoint;
        if (!e.filter().matches(alert)) {
            return;
        }
        String key = Delivery.idempotencyKey(alert.id(), alert.version());
        if (q.seen.put(key, Boolean.TRUE) != null) {
            deduplicated.inc();
            return;
        }
        String lang = r.language();
        // a chat message can still go out when the alert document cannot be made
        byte[] alertJson = e.format() == WebhookFormat.JSON ? r.alertJson() : r.alertJsonOrStub();
        String textLang = e.language().equals("auto") ? lang : e.language();
        byte[] body =
                e.format() == WebhookFormat.JSON
                        ? alertJson
                        : WebhookPayloads.render(e.format(), alert, textLang);
        Delivery d =
                new Delivery(
                        e.name(), alert.id(), alert.version(), r.emittedAt, 0, body, alertJson);
        if (q.pending.size() >= e.maxQueued()) {
            deadLetter(
                    d,
                    "endpoint "
                            + e.name()
                            + " already has "
                            + q.pending.size()
                            + " deliveries waiting (max_queued)");
            return;
        }
        q.pending.add(new Pending(d));
        pump(q);
    }

    /** What all endpoints of one alert share, made once, when the first endpoint needs it. */
    private final class Rendering {
        final Alert alert;
        final long emittedAt;
        private String lang;
        private boolean langKnown;
        private byte[] alertJson;

        Rendering(Alert alert, long emittedAt) {
            this.alert = alert;
            this.emittedAt = emittedAt;
        }

        String language() {
            if (!langKnown) {
                langKnown = true;
                try {
                    lang = languageOf(alert);
                } catch (RuntimeException e) {
                    // the language only picks the chat texts' words: English then
                    LOG.warn(
                            "Could not tell the language of alert {}",
                            alertIdHeader(alert.id()),
                            e);
                }
            }
            return lang;
        }

        byte[] alertJson() {
            if (alertJson == null) {
                alertJson = WebhookPayloads.render(WebhookFormat.JSON, alert, language());
            }
            return alertJson;
        }

        /** The alert document, or what can still be told about the alert when it cannot be made. */
        byte[] alertJsonOrStub() {
            try {
                return alertJson();
            } catch (RuntimeException e) {
                return WebhookPayloads.stub(alert);
            }
        }
    }

    /** The language most of the alert's posts are written in, or null when none can be told. */
    private String languageOf(Alert alert) {
        if (alert.topMentions().isEmpty()) {
            return null;
        }
        Map<String, Integer> votes = new HashMap<>();
        for (TopMention m : alert.topMentions()) {
            String l = languages.detect(m.text());
            if (!LanguageDetector.UNDETERMINED.equals(l)) {
                votes.merge(l, 1, Integer::sum);
            }
        }
        return votes.entrySet().stream()
                .max(
                        Map.Entry.<String, Integer>comparingByValue()
                                .thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .orElse(null);
    }

    /** Starts every send the endpoint's limits allow now, and a timer for the next one. */
    private void pump(EndpointQueue q) throws IOException {
        long now = timeService.getCurrentProcessingTime();
        long wakeAt = Long.MAX_VALUE;
        if (now < q.pausedUntil) {
            wakeAt = q.pausedUntil;
        } else {
            // a copy: a send that fails at once leaves the queue while this loop runs
            for (Pending p : List.copyOf(q.pending)) {
                if (q.inFlight >= q.endpoint.maxConcurrency()) {
                    break; // the next answer pumps again
                }
                if (p.done || p.inFlight) {
                    continue;
                }
                if (p.notBefore > now) {
                    wakeAt = Math.min(wakeAt, p.notBefore);
                    continue;
                }
                long tokenAt = q.rate.acquire(now);
                if (tokenAt > now) {
                    wakeAt = Math.min(wakeAt, tokenAt);
                    break;
                }
                send(q, p);
                if (!p.done && !p.inFlight && p.notBefore > now) {
                    wakeAt = Math.min(wakeAt, p.notBefore);
                }
            }
        }
        if (wakeAt != Long.MAX_VALUE && (q.timerAt == 0 || wakeAt < q.timerAt)) {
            long at = wakeAt;
            q.timerAt = at;
            timeService.registerTimer(
                    at,
                    t -> {
                        if (q.timerAt == at) {
                            q.timerAt = 0;
                        }
                        pump(q);
                    });
        }
    }

    private void send(EndpointQueue q, Pending p) throws IOException {
        Delivery d = p.delivery.nextAttempt();
        p.delivery = d;
        HttpRequest request;
        try {
            request = request(q, d);
        } catch (RuntimeException e) {
            finish(q, p);
            deadLetter(
                    d,
                    "endpoint "
                            + q.endpoint.name()
                            + ": could not build the request: "
                            + describe(e),
                    e);
            return;
        }
        p.inFlight = true;
        q.inFlight++;
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
            p.inFlight = false;
            q.inFlight--;
            finish(q, p);
            deadLetter(
                    d,
                    "endpoint "
                            + q.endpoint.name()
                            + ": could not send the request: "
                            + describe(e),
                    e);
        }
    }

    private static HttpRequest request(EndpointQueue q, Delivery d) {
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
    private void settle(EndpointQueue q, Pending p, HttpResponse<String> response, Throwable error)
            throws IOException {
        p.inFlight = false;
        q.inFlight--;
        try {
            decide(q, p, response, error);
        } catch (RuntimeException e) {
            if (p.done) {
                throw e; // it was writing the dead letter: losing it silently is worse than failing
            }
            finish(q, p);
            deadLetter(
                    p.delivery,
                    "endpoint "
                            + q.endpoint.name()
                            + ": could not handle the answer: "
                            + describe(e),
                    e);
        }
        updatePending();
    }

    private void decide(EndpointQueue q, Pending p, HttpResponse<String> response, Throwable error)
            throws IOException {
        Delivery d = p.delivery;
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
                finish(q, p);
                sent.inc();
                lastLatencyMs = System.currentTimeMillis() - d.emittedAtMillis();
            }
            case PERMANENT -> {
                finish(q, p);
                deadLetter(d, "endpoint " + e.name() + " refused the alert for good: " + reason);
            }
            case RETRY -> {
                if (d.attempts() >= e.maxAttempts()) {
                    finish(q, p);
                    deadLetter(
                            d,
                            "endpoint "
                                    + e.name()
                                    + ": gave up after "
                                    + d.attempts()
                                    + " attempts, last: "
                                    + reason);
                } else {
                    retried.inc();
                    long now = timeService.getCurrentProcessingTime();
                    long delay =
                            q.retry.backoffMillis(
                                    d.attempts(), ThreadLocalRandom.current().nextDouble());
                    if (retryAfter > 0) {
                        // the receiver said when it can take more: pause the whole endpoint
                        delay = Math.max(delay, retryAfter);
                        q.pausedUntil = Math.max(q.pausedUntil, now + retryAfter);
                    }
                    p.notBefore = now + delay;
                    LOG.warn(
                            "Webhook endpoint {} failed for alert {} v{} (attempt {} of {}): {};"
                                    + " retrying in {} ms",
                            e.name(),
                            alertIdHeader(d.alertId()),
                            d.version(),
                            d.attempts(),
                            e.maxAttempts(),
                            reason,
                            delay);
                }
            }
        }
    }

    /** Takes a delivery out of its queue for good. */
    private static void finish(EndpointQueue q, Pending p) {
        p.done = true;
        q.pending.remove(p);
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
        for (EndpointQueue q : queues.values()) {
            n += q.pending.size();
        }
        pending = n;
    }

    private boolean anyPending() {
        for (EndpointQueue q : queues.values()) {
            if (!q.pending.isEmpty()) {
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
        for (EndpointQueue q : queues.values()) {
            for (Pending p : q.pending) {
                state.add(p.delivery);
            }
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

    /** One delivery in an endpoint's queue. Task thread only. */
    private static final class Pending {
        Delivery delivery;
        long notBefore;
        boolean inFlight;

        /** Delivered or dead-lettered: out of the queue. */
        boolean done;

        Pending(Delivery delivery) {
            this.delivery = delivery;
        }
    }

    /** One endpoint's queue, limits and backoff. Task thread only. */
    private static final class EndpointQueue {
        final WebhookEndpoint endpoint;
        final URI uri;
        final String secret;
        final RetryPolicy retry;
        final TokenBucket rate;
        final List<Pending> pending = new ArrayList<>();
        final LinkedHashMap<String, Boolean> seen =
                new LinkedHashMap<>(16, 0.75f, false) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                        return size() > SEEN_KEYS;
                    }
                };
        int inFlight;
        long pausedUntil;
        long timerAt;

        EndpointQueue(WebhookEndpoint endpoint, URI uri, String secret) {
            this.endpoint = endpoint;
            this.uri = uri;
            this.secret = secret;
            this.retry = new RetryPolicy(endpoint.initialBackoff(), endpoint.maxBackoff());
            this.rate = new TokenBucket(endpoint.ratePerSecond());
        }

        @Override
        public String toString() {
            return endpoint.name();
        }
    }
}
