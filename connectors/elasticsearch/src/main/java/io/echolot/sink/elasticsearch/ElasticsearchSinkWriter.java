package io.echolot.sink.elasticsearch;

import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.echolot.index.DocumentRequest;
import jakarta.json.stream.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.DequeRequestBuffer;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.SimpleBatchCreator;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.flink.util.function.ThrowingRunnable;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each batch of {@link DocumentRequest}s as one {@code _bulk} request and settles every item:
 * written, retried later, or dead-lettered with a reason.
 *
 * <p>One document never fails the task: an element the converter throws on, a document over the
 * record size limit, and a document Elasticsearch refuses together with its whole request (400,
 * 413, found by splitting the batch, see {@link SplittingBatch}) all go to the dead-letter handler.
 * Only what a person must fix (credentials, privileges, a wrong endpoint) fails the job; an
 * unreachable, overloaded or write-blocked Elasticsearch (429, 5xx, {@code cluster_block_exception}
 * per item or per request, timeouts) is retried without limit: the documents wait in the writer,
 * whose buffer limits back-pressure the job, and none of them is dead-lettered. While documents
 * wait, the gauges {@code documentsPendingRetry} and {@code oldestPendingRetryAgeMs} show it, and a
 * WARN is logged at most every {@link #BLOCKED_WARNING_INTERVAL_MS} ms.
 *
 * <p>Threading: the bulk runs on the HTTP client's I/O threads; its outcome is handed to the task's
 * mailbox thread, so classification, metrics, dead letters and backoff timers all run
 * single-threaded. A backoff is a processing-time timer that calls {@link
 * ResultHandler#retryForEntries} when it fires; until then the request still counts as in flight,
 * so checkpoints wait for it and nothing is lost, and the writer sends less while Elasticsearch is
 * struggling.
 */
class ElasticsearchSinkWriter<T> extends AsyncSinkWriter<T, DocumentRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSinkWriter.class);

    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");

    /**
     * What the writer reads of a bulk answer; the rest (ids, versions, sequence numbers, shard
     * counts of every item) is left out, so Elasticsearch writes and the client parses less.
     */
    static final String RESPONSE_FILTER =
            "took,errors,items.*._index,items.*._id,items.*.status,items.*.error";

    private static final JsonFactory JSON = new JsonFactory();

    private static final byte[] UPSERT_PREFIX = "{\"doc\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] UPSERT_SUFFIX =
            ",\"doc_as_upsert\":true}".getBytes(StandardCharsets.UTF_8);
    // concurrent upserts of one document (e.g. two windows) conflict on the version; ES retries
    private static final int RETRY_ON_CONFLICT = 3;

    /** A cluster blocked for hours must stay visible in the log without flooding it. */
    static final long BLOCKED_WARNING_INTERVAL_MS = 30_000;

    private final ElementConverter<T, DocumentRequest> converter;
    private final Handoff<T> handoff;
    private final long maxRecordSizeInBytes;
    private final RestClient client;
    private final JsonpMapper responseMapper = new JacksonJsonpMapper();
    private final RetryPolicy retryPolicy;
    private final DeadLetterHandler deadLetters;
    private final MailboxExecutor mailbox;
    private final ProcessingTimeService timeService;

    private final Counter documentsSent;
    private final Counter documentsRetried;
    private final Counter documentsSuperseded;
    private final Counter documentsDeadLettered;
    private final Counter bulkRequestsFailed;
    private final Counter bulkRequestsSplit;
    private volatile long lastBulkLatencyMs;

    private final PendingRetries pendingRetries = new PendingRetries();

    /** When the last "documents wait" warning was logged; 0 while none is due to be followed up. */
    private long lastBlockedWarningMs;

    /** Whole-request failures since the last answered bulk; drives the request backoff. */
    private int consecutiveRequestFailures;

    ElasticsearchSinkWriter(
            ElementConverter<T, DocumentRequest> converter,
            WriterInitContext context,
            AsyncSinkWriterConfiguration writerConfiguration,
            Collection<BufferedRequestState<DocumentRequest>> restoredState,
            ElasticsearchConfig config,
            RetryPolicy retryPolicy,
            DeadLetterHandler deadLetters,
            List<IndexTemplates.Template> templates)
            throws IOException {
        this(
                converter,
                new Handoff<>(),
                context,
                writerConfiguration,
                restoredState,
                config,
                retryPolicy,
                deadLetters,
                templates);
    }

    private ElasticsearchSinkWriter(
            ElementConverter<T, DocumentRequest> converter,
            Handoff<T> handoff,
            WriterInitContext context,
            AsyncSinkWriterConfiguration writerConfiguration,
            Collection<BufferedRequestState<DocumentRequest>> restoredState,
            ElasticsearchConfig config,
            RetryPolicy retryPolicy,
            DeadLetterHandler deadLetters,
            List<IndexTemplates.Template> templates)
            throws IOException {
        super(
                handoff,
                context,
                writerConfiguration,
                restoredState,
                new SimpleBatchCreator<>(writerConfiguration.getMaxBatchSizeInBytes()),
                new DequeRequestBuffer<>());
        this.converter = converter;
        this.handoff = handoff;
        this.maxRecordSizeInBytes = writerConfiguration.getMaxRecordSizeInBytes();
        converter.open(context);
        this.retryPolicy = retryPolicy;
        this.deadLetters = deadLetters;
        this.mailbox = context.getMailboxExecutor();
        this.timeService = context.getProcessingTimeService();

        SinkWriterMetricGroup metrics = context.metricGroup();
        this.documentsSent = metrics.counter("documentsSent");
        this.documentsRetried = metrics.counter("documentsRetried");
        this.documentsSuperseded = metrics.counter("documentsSuperseded");
        this.documentsDeadLettered = metrics.counter("documentsDeadLettered");
        this.bulkRequestsFailed = metrics.counter("bulkRequestsFailed");
        this.bulkRequestsSplit = metrics.counter("bulkRequestsSplit");
        metrics.gauge("bulkLatencyMs", () -> lastBulkLatencyMs);
        metrics.gauge("documentsPendingRetry", pendingRetries::size);
        metrics.gauge(
                "oldestPendingRetryAgeMs",
                () -> pendingRetries.oldestAgeMs(System.currentTimeMillis()));

        LOG.info("Opening Elasticsearch sink writer: {}, {}", config, retryPolicy);
        this.client = config.createRestClient();
        try {
            deadLetters.open(
                    new DeadLetterHandler.Context(
                            context.getTaskInfo().getIndexOfThisSubtask(), metrics));
            // Every subtask checks, not only the first: subtasks start in no set order, and a
            // document that reached Elasticsearch before its template would create its index with
            // dynamic mappings for good. The check is one small GET per template; only a missing
            // or older template is sent, and only one of the subtasks creates a missing one.
            if (!templates.isEmpty()) {
                Map<String, IndexTemplates.Result> results =
                        IndexTemplates.install(
                                client,
                                templates,
                                context.getUserCodeClassLoader().asClassLoader());
                LOG.info("Index templates: {}", results);
            }
        } catch (Exception e) {
            closeQuietly();
            throw e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
        }
    }

    /**
     * Converts here rather than in the base class, so that an element the converter fails on, or a
     * document over the record size limit, becomes a dead letter instead of failing the task.
     */
    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        DocumentRequest request;
        try {
            request = converter.apply(element, context);
            if (request == null) {
                throw new NullPointerException("the converter returned null");
            }
        } catch (RuntimeException e) {
            documentsDeadLettered.inc();
            deadLetters.acceptElement(element, "the converter failed: " + describe(e));
            return;
        }
        long size = getSizeInBytes(request);
        if (size > maxRecordSizeInBytes) {
            deadLetter(
                    request,
                    "the document takes "
                            + size
                            + " bytes in a bulk request, more than the sink's limit of "
                            + maxRecordSizeInBytes
                            + " bytes per document (setMaxRecordSizeInBytes)");
            return;
        }
        handoff.next = request;
        super.write(element, context);
    }

    @Override
    protected void submitRequestEntries(
            List<DocumentRequest> entries, ResultHandler<DocumentRequest> resultHandler) {
        sendNextPart(new SplittingBatch(entries), resultHandler);
    }

    /**
     * Sends the batch's next part; its answer, handled on the task thread, sends the part after it.
     * The batch completes for Flink once every part is settled.
     */
    private void sendNextPart(SplittingBatch batch, ResultHandler<DocumentRequest> resultHandler) {
        List<DocumentRequest> part = batch.nextPart();
        if (part == null) {
            if (batch.retries().isEmpty()) {
                resultHandler.complete();
            } else {
                retryLater(resultHandler, batch.retries(), batch.retryDelayMs());
            }
            return;
        }
        long start = System.nanoTime();
        try {
            send(toBulkRequest(part))
                    .whenComplete(
                            (response, error) -> {
                                long latencyMs =
                                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                                inMailbox(
                                        () -> {
                                            Exception fatal =
                                                    error != null
                                                            ? onRequestFailure(part, batch, error)
                                                            : onResponse(
                                                                    part, response, latencyMs,
                                                                    batch);
                                            if (fatal != null) {
                                                resultHandler.completeExceptionally(fatal);
                                            } else {
                                                sendNextPart(batch, resultHandler);
                                            }
                                        });
                            });
        } catch (RuntimeException e) {
            // building or starting the request failed on this thread: same rules as a failure
            Exception fatal;
            try {
                fatal = onRequestFailure(part, batch, e);
            } catch (IOException deadLetterFailure) {
                fatal = deadLetterFailure;
            }
            if (fatal != null) {
                resultHandler.completeExceptionally(fatal);
            } else {
                sendNextPart(batch, resultHandler);
            }
        }
    }

    /** Settles each item of an answered bulk; returns the exception to fail with, if any. */
    private Exception onResponse(
            List<DocumentRequest> entries,
            BulkResponse response,
            long latencyMs,
            SplittingBatch batch)
            throws IOException {
        lastBulkLatencyMs = latencyMs;
        consecutiveRequestFailures = 0;
        if (!response.errors()) {
            for (DocumentRequest entry : entries) {
                pendingRetries.remove(entry);
            }
            documentsSent.inc(entries.size());
            noteRecoveredIfDone();
            return null;
        }
        List<BulkResponseItem> items = response.items();
        if (items.size() != entries.size()) {
            return new IllegalStateException(
                    "Elasticsearch answered a bulk of "
                            + entries.size()
                            + " documents with "
                            + items.size()
                            + " items");
        }
        List<DocumentRequest> retries = new ArrayList<>();
        int sent = 0;
        int highestAttempt = 0;
        String retryReason = null;
        long now = System.currentTimeMillis();
        for (int i = 0; i < items.size(); i++) {
            BulkResponseItem item = items.get(i);
            DocumentRequest request = entries.get(i);
            long waitingSince = pendingRetries.remove(request);
            if (item.error() == null) {
                // includes a 404 "not_found" for a delete: the document is gone, as asked
                sent++;
                continue;
            }
            if (item.status() == 409 && request.version() != DocumentRequest.NO_VERSION) {
                // a newer state of this document is stored already: the older one is not needed
                documentsSuperseded.inc();
                continue;
            }
            switch (RetryPolicy.classifyItem(item.status(), item.error().type())) {
                case RETRY:
                    DocumentRequest retry = request.nextAttempt();
                    pendingRetries.add(retry, waitingSince != 0 ? waitingSince : now);
                    highestAttempt = Math.max(highestAttempt, retry.attempt());
                    retries.add(retry);
                    if (retryReason == null) {
                        retryReason = describe(item);
                    }
                    break;
                case FAIL:
                    String message =
                            (item.status() == 401
                                            ? RetryPolicy.CREDENTIALS_REJECTED
                                            : RetryPolicy.ACCESS_DENIED)
                                    + ": "
                                    + describe(item);
                    LOG.error("Elasticsearch sink fails: {}", message);
                    return new ElasticsearchSinkException(message, null);
                case DEAD_LETTER:
                default:
                    deadLetter(request, describe(item));
                    break;
            }
        }
        documentsSent.inc(sent);
        if (retries.isEmpty()) {
            noteRecoveredIfDone();
            return null;
        }
        documentsRetried.inc(retries.size());
        long delay =
                retryPolicy.backoffMillis(highestAttempt, ThreadLocalRandom.current().nextDouble());
        warnWhileBlocked(retryReason);
        LOG.debug(
                "{} of {} documents were rejected for now (e.g. status {}); retry {} in {} ms",
                retries.size(),
                entries.size(),
                firstErrorStatus(items),
                highestAttempt,
                delay);
        batch.retryLater(retries, delay);
        return null;
    }

    /** Handles a bulk that failed as a whole; returns the exception to fail with, if any. */
    private Exception onRequestFailure(
            List<DocumentRequest> entries, SplittingBatch batch, Throwable error)
            throws IOException {
        bulkRequestsFailed.inc();
        RetryPolicy.RequestFailure failure = RetryPolicy.classifyRequestFailure(error);
        switch (failure.decision()) {
            case FAIL:
                LOG.error("Elasticsearch sink fails: {}", failure.message(), error);
                return new ElasticsearchSinkException(failure.message(), error);
            case SPLIT:
                if (batch.split(entries)) {
                    // the metric and the dead letter show it; hostile input must not flood the log
                    LOG.debug(
                            "Bulk request of {} documents refused ({}); sending it in halves to"
                                    + " find the refused documents",
                            entries.size(),
                            failure.message());
                    bulkRequestsSplit.inc();
                } else {
                    pendingRetries.remove(entries.get(0));
                    deadLetter(entries.get(0), failure.message());
                }
                return null;
            case RETRY:
            default:
                consecutiveRequestFailures++;
                long delay =
                        retryPolicy.backoffMillis(
                                consecutiveRequestFailures,
                                ThreadLocalRandom.current().nextDouble());
                long now = System.currentTimeMillis();
                List<DocumentRequest> retries = new ArrayList<>(entries.size());
                for (DocumentRequest entry : entries) {
                    long waitingSince = pendingRetries.remove(entry);
                    DocumentRequest retry = entry.nextAttempt();
                    pendingRetries.add(retry, waitingSince != 0 ? waitingSince : now);
                    retries.add(retry);
                }
                LOG.debug(
                        "Bulk request of {} documents failed ({}); retrying all of them in {} ms"
                                + " ({} failed requests in a row)",
                        entries.size(),
                        failure.message(),
                        delay,
                        consecutiveRequestFailures);
                warnWhileBlocked(
                        "bulk request failed ("
                                + consecutiveRequestFailures
                                + " in a row): "
                                + failure.message());
                documentsRetried.inc(entries.size());
                batch.retryLater(retries, delay);
                return null;
        }
    }

    /** At most one WARN per interval however long Elasticsearch keeps turning documents away. */
    private void warnWhileBlocked(String reason) {
        long now = System.currentTimeMillis();
        if (lastBlockedWarningMs != 0 && now - lastBlockedWarningMs < BLOCKED_WARNING_INTERVAL_MS) {
            return;
        }
        lastBlockedWarningMs = now;
        LOG.warn(
                "Elasticsearch does not take documents for now ({}); {} documents wait for a retry,"
                        + " the oldest for {} s. Retrying with back-off until it does; nothing is"
                        + " dead-lettered for this (metrics documentsRetried,"
                        + " oldestPendingRetryAgeMs)",
                reason,
                pendingRetries.size(),
                pendingRetries.oldestAgeMs(now) / 1000);
    }

    /** Closes a warned-about episode with one line once no document waits any more. */
    private void noteRecoveredIfDone() {
        if (lastBlockedWarningMs != 0 && pendingRetries.size() == 0) {
            LOG.info("Elasticsearch takes documents again; no document waits for a retry");
            lastBlockedWarningMs = 0;
        }
    }

    private void retryLater(
            ResultHandler<DocumentRequest> resultHandler,
            List<DocumentRequest> entries,
            long delayMs) {
        timeService.registerTimer(
                timeService.getCurrentProcessingTime() + delayMs,
                timestamp -> resultHandler.retryForEntries(entries));
    }

    private void deadLetter(DocumentRequest request, String reason) throws IOException {
        documentsDeadLettered.inc();
        deadLetters.accept(request, reason);
    }

    /** Runs on the task thread; drops the work only if the task is already shutting down. */
    private void inMailbox(ThrowingRunnable<? extends Exception> action) {
        try {
            mailbox.execute(action, "handle Elasticsearch bulk response");
        } catch (RejectedExecutionException e) {
            LOG.debug("Bulk response arrived after the writer closed; the task restarts anyway");
        }
    }

    /** The flush before a checkpoint also makes the dead letters durable. */
    @Override
    public void flush(boolean flush) throws InterruptedException {
        super.flush(flush);
        try {
            deadLetters.flush();
        } catch (IOException e) {
            throw new FlinkRuntimeException(e.getMessage(), e);
        }
    }

    @Override
    protected long getSizeInBytes(DocumentRequest request) {
        return request.sizeInBytes();
    }

    @Override
    public void close() {
        super.close();
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            deadLetters.close();
        } catch (Exception e) {
            LOG.warn("Could not close the dead-letter handler", e);
        }
        try {
            client.close();
        } catch (IOException e) {
            LOG.warn("Could not close the Elasticsearch client", e);
        }
    }

    /**
     * The {@code _bulk} request for the entries: the body built here as one byte array, so it goes
     * out with a {@code Content-Length} as {@code application/x-ndjson}. The Java API client sent
     * the same body chunked, in its compatibility media type, and asked for the full answer: that
     * cost Elasticsearch about a third more CPU per document than the same documents from a plain
     * {@code _bulk} loop (BENCHMARKS.md, Elasticsearch cost per mention document).
     */
    static Request toBulkRequest(List<DocumentRequest> entries) {
        long size = 0;
        for (DocumentRequest entry : entries) {
            size += entry.sizeInBytes();
        }
        ByteArrayOutputStream body =
                new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, size + 64));
        try {
            for (DocumentRequest entry : entries) {
                writeOperation(entry, body);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not write a bulk request in memory", e);
        }
        Request request = new Request("POST", "/_bulk");
        request.addParameter("filter_path", RESPONSE_FILTER);
        request.setEntity(new NByteArrayEntity(body.toByteArray(), NDJSON));
        return request;
    }

    /** Sends the bulk; the answer is parsed on the HTTP client's I/O thread. */
    private CompletableFuture<BulkResponse> send(Request request) {
        CompletableFuture<BulkResponse> answer = new CompletableFuture<>();
        client.performRequestAsync(
                request,
                new ResponseListener() {
                    @Override
                    public void onSuccess(Response response) {
                        try {
                            answer.complete(parse(response));
                        } catch (Exception e) {
                            answer.completeExceptionally(e);
                        }
                    }

                    @Override
                    public void onFailure(Exception exception) {
                        answer.completeExceptionally(exception);
                    }
                });
        return answer;
    }

    private BulkResponse parse(Response response) throws IOException {
        try (InputStream in = response.getEntity().getContent();
                JsonParser parser = responseMapper.jsonProvider().createParser(in)) {
            return BulkResponse._DESERIALIZER.deserialize(parser, responseMapper);
        }
    }

    /**
     * Gives the base class the request {@link #write} already converted, so conversion failures
     * stay in the writer's hands.
     */
    private static final class Handoff<T> implements ElementConverter<T, DocumentRequest> {
        private static final long serialVersionUID = 1L;

        private transient DocumentRequest next;

        @Override
        public DocumentRequest apply(T element, SinkWriter.Context context) {
            DocumentRequest request = next;
            if (request == null) {
                throw new IllegalStateException("no converted request was handed over");
            }
            next = null;
            return request;
        }
    }

    /** The action line and, but for a delete, the source line of one entry. */
    private static void writeOperation(DocumentRequest request, ByteArrayOutputStream body)
            throws IOException {
        try (JsonGenerator action = JSON.createGenerator(body)) {
            action.writeStartObject();
            switch (request.op()) {
                case INDEX:
                    action.writeObjectFieldStart("index");
                    break;
                case UPSERT:
                    action.writeObjectFieldStart("update");
                    break;
                case DELETE:
                    action.writeObjectFieldStart("delete");
                    break;
                default:
                    throw new IllegalArgumentException("unknown op " + request.op());
            }
            action.writeStringField("_index", request.index());
            action.writeStringField("_id", request.elasticsearchId());
            if (request.version() != DocumentRequest.NO_VERSION) {
                action.writeNumberField("version", request.version());
                action.writeStringField("version_type", "external_gte");
            }
            if (request.op() == DocumentRequest.Op.UPSERT) {
                action.writeNumberField("retry_on_conflict", RETRY_ON_CONFLICT);
            }
            action.writeEndObject();
            action.writeEndObject();
        }
        body.write('\n');
        switch (request.op()) {
            case INDEX:
                body.write(request.sourceBytes());
                body.write('\n');
                break;
            case UPSERT:
                body.write(upsertBody(request));
                body.write('\n');
                break;
            default:
                break;
        }
    }

    /** {@code {"doc":<source>,"doc_as_upsert":true}} without parsing the source. */
    private static byte[] upsertBody(DocumentRequest request) {
        byte[] source = request.sourceBytes();
        byte[] body = new byte[UPSERT_PREFIX.length + source.length + UPSERT_SUFFIX.length];
        System.arraycopy(UPSERT_PREFIX, 0, body, 0, UPSERT_PREFIX.length);
        System.arraycopy(source, 0, body, UPSERT_PREFIX.length, source.length);
        System.arraycopy(
                UPSERT_SUFFIX, 0, body, UPSERT_PREFIX.length + source.length, UPSERT_SUFFIX.length);
        return body;
    }

    /** "status 400 document_parsing_exception: [1:12] failed to parse ... (caused by ...)". */
    static String describe(BulkResponseItem item) {
        StringBuilder reason = new StringBuilder("status ").append(item.status());
        ErrorCause error = item.error();
        if (error != null) {
            reason.append(' ').append(error.type()).append(": ").append(error.reason());
            ErrorCause cause = error.causedBy();
            if (cause != null) {
                reason.append(" (caused by ")
                        .append(cause.type())
                        .append(": ")
                        .append(cause.reason())
                        .append(')');
            }
        }
        return reason.toString();
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getName() + (message == null ? "" : ": " + message);
    }

    private static int firstErrorStatus(List<BulkResponseItem> items) {
        return items.stream()
                .filter(i -> i.error() != null)
                .mapToInt(BulkResponseItem::status)
                .findFirst()
                .orElse(0);
    }
}
