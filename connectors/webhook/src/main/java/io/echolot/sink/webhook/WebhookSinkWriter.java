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
 * letters are touched only by the task thread. Backoffs are processing-time timers, and every time
 * the writer reads (backoff, retry clock) is processing time, so tests drive it with a test clock.
 *
 * <p>Order per alert: an endpoint's queue holds one slot per alert, and only the slot's head is
 * ever sent, so version n+1 of an alert reaches an endpoint only after version n was acknowledged,
 * refused for good, or superseded. A newer state supersedes the head when the head is not in flight
 * (waiting for its turn or a retry: it takes the head's place, retry clock and backoff), or when
 * the head in flight then fails; while the head is in flight the newest state waits behind it.
 * Superseded states are counted in {@code webhooksCoalesced} and never sent. Alerts do not wait for
 * each other: each slot backs off on its own. A failing alert state is retried until {@code
 * max_retry_duration} has passed since the first send of that alert's pending states (or {@code
 * max_attempts}, when set, are used up).
 *
 * <p>Bounded: at most {@code max_queued} alerts have a slot; a state of another alert is
 * dead-lettered at once. A slot holds at most two states (the head in flight and the newest behind
 * it), so an endpoint keeps at most {@code max_queued + max_concurrency} deliveries.
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
            restore(q, d);
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
        AlertSlot slot = q.alerts.get(alert.id());
        if (slot != null) {
            offer(slot, new Pending(d, slot));
        } else if (q.alerts.size() >= e.maxQueued()) {
            deadLetter(
                    d,
                    "endpoint "
                            + e.name()
                            + " already has "
                            + q.alerts.size()
                            + " other alerts waiting (max_queued)");
            return;
        } else {
            slot = new AlertSlot(alert.id());
            slot.head = new Pending(d, slot);
            q.alerts.put(alert.id(), slot);
        }
        pump(q);
    }

    /**
     * Puts a state of an alert that already has a slot into it: the newest state wins, and it is
     * sent only after the head in flight is answered.
     */
    private void offer(AlertSlot slot, Pending p) {
        Pending newest = slot.waiting != null ? slot.waiting : slot.head;
        if (p.delivery.version() <= newest.delivery.version()) {
            // an older state than one already waiting: the receiver needs the newer one only
            coalesced.inc();
            return;
        }
        if (slot.head.inFlight) {
            if (slot.waiting != null) {
                coalesced.inc();
            }
            slot.waiting = p;
        } else {
            coalesced.inc();
            p.takeOver(slot.head);
            slot.head.done = true;
            slot.head = p;
        }
    }

    /** Puts a delivery from a checkpoint back: of several states of one alert, the newest. */
    private void restore(EndpointQueue q, Delivery d) {
        AlertSlot slot = q.alerts.get(d.alertId());
        Pending p = new Pending(d, null);
        p.failures = d.attempts();
        if (slot == null) {
            slot = new AlertSlot(d.alertId());
            q.alerts.put(d.alertId(), slot);
            p.slot = slot;
            slot.head = p;
            return;
        }
        p.slot = slot;
        // what was in flight at the checkpoint has no answer now: nothing waits for it
        coalesced.inc();
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
            slots:
            for (AlertSlot slot : List.copyOf(q.alerts.values())) {
                Pending p = slot.head;
                // only the head of an alert is sent: its next state waits for the answer
                while (p != null && !p.done && !p.inFlight) {
                    if (q.inFlight >= q.endpoint.maxConcurrency()) {
                        break slots; // the next answer pumps again
                    }
                    if (p.notBefore > now) {
                        wakeAt = Math.min(wakeAt, p.notBefore);
                        break;
                    }
                    long tokenAt = q.rate.acquire(now);
                    if (tokenAt > now) {
                        wakeAt = Math.min(wakeAt, tokenAt);
                        break slots;
                    }
                    send(q, p, now);
                    if (slot.head == p) {
                        break;
                    }
                    p = slot.head; // it failed at once: the alert's next state may go now
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

    private void send(EndpointQueue q, Pending p, long now) throws IOException {
        Delivery d = p.delivery.nextAttempt(now);
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
                long now = timeService.getCurrentProcessingTime();
                long deadline = saturatedAdd(d.firstAttemptMillis(), e.maxRetryDuration());
                AlertSlot slot = p.slot;
                Pending next = p;
                if (slot.waiting != null) {
                    // a newer state of the alert waits: it is retried instead of this one
                    next = slot.waiting;
                    slot.waiting = null;
                    next.takeOver(p);
                    p.done = true;
                    slot.head = next;
                    coalesced.inc();
                } else if (now >= deadline || d.attempts() >= e.maxAttempts()) {
                    finish(q, p);
                    deadLetter(
                            d,
                            "endpoint "
                                    + e.name()
                                    + ": gave up after "
                                    + d.attempts()
                                    + " attempts in "
                                    + Duration.ofMillis(now - d.firstAttemptMillis()).toSeconds()
                                    + " s, last: "
                                    + reason);
                    return;
                }
                retried.inc();
                next.failures++;
                long delay =
                        q.retry.backoffMillis(
                                next.failures, ThreadLocalRandom.current().nextDouble());
                // the last retry is at the end of max_retry_duration, not up to a backoff later
                delay = Math.min(delay, Math.max(0, deadline - now));
                if (retryAfter > 0) {
                    // the receiver said when it can take more: pause the whole endpoint
                    delay = Math.max(delay, retryAfter);
                    q.pausedUntil = Math.max(q.pausedUntil, now + retryAfter);
                }
                next.notBefore = now + delay;
                LOG.warn(
                        "Webhook endpoint {} failed for alert {} v{} (attempt {}): {};"
                                + " retrying{} in {} ms",
                        e.name(),
                        alertIdHeader(d.alertId()),
                        d.version(),
                        d.attempts(),
                        reason,
                        next == p ? "" : " its newer version " + next.delivery.version(),
                        delay);
            }
        }
    }

    /**
     * Takes a delivery out of its queue for good; the alert's next state, if one waits, becomes the
     * head.
     */
    private static void finish(EndpointQueue q, Pending p) {
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
                q.alerts.remove(slot.alertId, slot);
            }
        }
    }

    private static long saturatedAdd(long at, Duration d) {
        long millis = d.toMillis();
        return at > Long.MAX_VALUE - millis ? Long.MAX_VALUE : at + millis;
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
            n += q.deliveries();
        }
        pending = n;
    }

    private boolean anyPending() {
        for (EndpointQueue q : queues.values()) {
            if (!q.alerts.isEmpty()) {
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
            for (AlertSlot slot : q.alerts.values()) {
                state.add(slot.head.delivery);
                if (slot.waiting != null) {
                    state.add(slot.waiting.delivery);
                }
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
        AlertSlot slot;
        long notBefore;
        boolean inFlight;

        /** Failed sends of this alert since its last success or refusal: picks the backoff. */
        int failures;

        /** Delivered, dead-lettered or superseded: out of the queue. */
        boolean done;

        Pending(Delivery delivery, AlertSlot slot) {
            this.delivery = delivery;
            this.slot = slot;
        }

        /**
         * Takes the place of an older state of the same alert that was not acknowledged: the
         * endpoint failed the alert since then, so the retry clock and the backoff go on.
         */
        void takeOver(Pending older) {
            delivery = delivery.withFirstAttempt(older.delivery.firstAttemptMillis());
            failures = older.failures;
            notBefore = older.notBefore;
        }
    }

    /**
     * The pending states of one alert at one endpoint: the head, the only one ever sent, and while
     * it is in flight the newest state behind it. Task thread only.
     */
    private static final class AlertSlot {
        final String alertId;
        Pending head;
        Pending waiting;

        AlertSlot(String alertId) {
            this.alertId = alertId;
        }
    }

    /** One endpoint's queue, limits and backoff. Task thread only. */
    private static final class EndpointQueue {
        final WebhookEndpoint endpoint;
        final URI uri;
        final String secret;
        final RetryPolicy retry;
        final TokenBucket rate;

        /** One slot per alert with a pending state, in the order the alerts first came. */
        final LinkedHashMap<String, AlertSlot> alerts = new LinkedHashMap<>();

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

        int deliveries() {
            int n = 0;
            for (AlertSlot slot : alerts.values()) {
                n += slot.waiting == null ? 1 : 2;
            }
            return n;
        }

        @Override
        public String toString() {
            return endpoint.name();
        }
    }
}
