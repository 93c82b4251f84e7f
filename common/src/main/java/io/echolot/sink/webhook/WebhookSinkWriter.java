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
 * <p>Request headers: {@code Content-Type: application/json}, {@code Idempotency-Key: <alert
 * id>:<version>} (the same on every retry and after a restart), {@code X-Echolot-Alert-Id}, {@code
 * X-Echolot-Alert-Version}, {@code X-Echolot-Attempt}, {@code X-Echolot-Emitted-At} (epoch millis
 * at which this sink received the alert state) and, with a secret, {@link WebhookSignature}'s
 * {@code X-Echolot-Timestamp} and {@code X-Echolot-Signature}. TLS certificates and host names are
 * always verified (the JVM's trust store); redirects are not followed.
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

    private static final int MAX_REASON_BODY = 300;

    private final Map<String, EndpointQueue> queues = new LinkedHashMap<>();
    private final WebhookDeadLetters deadLetters;
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
            } else {
                q.seen.put(d.idempotencyKey(), Boolean.TRUE);
                q.pending.add(new Pending(d));
            }
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
        long emittedAt = System.currentTimeMillis();
        byte[] alertJson = null;
        String lang = null;
        boolean langKnown = false;
        for (EndpointQueue q : queues.values()) {
            WebhookEndpoint e = q.endpoint;
            if (!e.filter().matches(alert)) {
                continue;
            }
            String key = Delivery.idempotencyKey(alert.id(), alert.version());
            if (q.seen.put(key, Boolean.TRUE) != null) {
                deduplicated.inc();
                continue;
            }
            if (!langKnown) {
                lang = languageOf(alert);
                langKnown = true;
            }
            if (alertJson == null) {
                alertJson = WebhookPayloads.render(WebhookFormat.JSON, alert, lang);
            }
            String textLang = e.language().equals("auto") ? lang : e.language();
            byte[] body =
                    e.format() == WebhookFormat.JSON
                            ? alertJson
                            : WebhookPayloads.render(e.format(), alert, textLang);
            Delivery d =
                    new Delivery(
                            e.name(), alert.id(), alert.version(), emittedAt, 0, body, alertJson);
            if (q.pending.size() >= e.maxQueued()) {
                deadLetter(
                        d,
                        "endpoint "
                                + e.name()
                                + " already has "
                                + q.pending.size()
                                + " deliveries waiting (max_queued)");
                continue;
            }
            q.pending.add(new Pending(d));
            pump(q);
        }
        updatePending();
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
            for (Pending p : q.pending) {
                if (q.inFlight >= q.endpoint.maxConcurrency()) {
                    break; // the next answer pumps again
                }
                if (p.inFlight) {
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
        p.inFlight = true;
        q.inFlight++;
        HttpRequest.Builder request =
                HttpRequest.newBuilder(q.uri)
                        .timeout(q.endpoint.timeout())
                        .header("Content-Type", "application/json; charset=utf-8")
                        .header("User-Agent", "echolot-webhooks/1")
                        .header(HEADER_IDEMPOTENCY_KEY, d.idempotencyKey())
                        .header(HEADER_ALERT_ID, d.alertId())
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
        try {
            client.sendAsync(request.build(), WebhookSinkWriter::bodyOnError)
                    .whenComplete(
                            (response, error) -> inMailbox(() -> onAnswer(q, p, response, error)));
        } catch (RuntimeException e) {
            onAnswer(q, p, null, e);
        }
    }

    /** Keeps the body of an error answer for the dead-letter reason; ignores it otherwise. */
    private static HttpResponse.BodySubscriber<String> bodyOnError(HttpResponse.ResponseInfo info) {
        return info.statusCode() >= 300
                ? HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8)
                : HttpResponse.BodySubscribers.replacing("");
    }

    private void onAnswer(
            EndpointQueue q, Pending p, HttpResponse<String> response, Throwable error)
            throws IOException {
        p.inFlight = false;
        q.inFlight--;
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
                q.pending.remove(p);
                sent.inc();
                lastLatencyMs = System.currentTimeMillis() - d.emittedAtMillis();
            }
            case PERMANENT -> {
                q.pending.remove(p);
                deadLetter(d, "endpoint " + e.name() + " refused the alert for good: " + reason);
            }
            case RETRY -> {
                if (d.attempts() >= e.maxAttempts()) {
                    q.pending.remove(p);
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
                            "Webhook endpoint {} failed for alert {} (attempt {} of {}): {};"
                                    + " retrying in {} ms",
                            e.name(),
                            d.idempotencyKey(),
                            d.attempts(),
                            e.maxAttempts(),
                            reason,
                            delay);
                }
            }
        }
        updatePending();
        pump(q);
    }

    private void deadLetter(Delivery d, String reason) throws IOException {
        LOG.warn(
                "Webhook delivery {} of {} dead-lettered: {}",
                d.idempotencyKey(),
                d.endpoint(),
                reason);
        deadLettered.inc();
        deadLetters.accept(d, reason);
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

    /** One delivery in an endpoint's queue. Task thread only. */
    private static final class Pending {
        Delivery delivery;
        long notBefore;
        boolean inFlight;

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
            this.retry =
                    new RetryPolicy(
                            endpoint.maxAttempts() - 1,
                            endpoint.initialBackoff(),
                            endpoint.maxBackoff());
            this.rate = new TokenBucket(endpoint.ratePerSecond());
        }

        @Override
        public String toString() {
            return endpoint.name();
        }
    }
}
