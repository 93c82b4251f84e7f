package io.echolot.sink.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each batch of {@link DocumentRequest}s as one {@code _bulk} request and settles every item:
 * written, retried later, or dead-lettered with a reason.
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

    private static final byte[] UPSERT_PREFIX = "{\"doc\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] UPSERT_SUFFIX =
            ",\"doc_as_upsert\":true}".getBytes(StandardCharsets.UTF_8);
    // concurrent upserts of one document (e.g. two windows) conflict on the version; ES retries
    private static final int RETRY_ON_CONFLICT = 3;

    private final ElasticsearchAsyncClient client;
    private final RetryPolicy retryPolicy;
    private final DeadLetterHandler deadLetters;
    private final MailboxExecutor mailbox;
    private final ProcessingTimeService timeService;

    private final Counter documentsSent;
    private final Counter documentsRetried;
    private final Counter documentsSuperseded;
    private final Counter documentsDeadLettered;
    private final Counter bulkRequestsFailed;
    private volatile long lastBulkLatencyMs;

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
        super(
                converter,
                context,
                writerConfiguration,
                restoredState,
                new SimpleBatchCreator<>(writerConfiguration.getMaxBatchSizeInBytes()),
                new DequeRequestBuffer<>());
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
        metrics.gauge("bulkLatencyMs", () -> lastBulkLatencyMs);

        LOG.info("Opening Elasticsearch sink writer: {}, {}", config, retryPolicy);
        this.client = config.createAsyncClient();
        try {
            deadLetters.open(
                    new DeadLetterHandler.Context(
                            context.getTaskInfo().getIndexOfThisSubtask(), metrics));
            if (!templates.isEmpty()) {
                Map<String, IndexTemplates.Result> results =
                        IndexTemplates.install(
                                ((RestClientTransport) client._transport()).restClient(),
                                templates,
                                context.getUserCodeClassLoader().asClassLoader());
                LOG.info("Index templates: {}", results);
            }
        } catch (Exception e) {
            closeQuietly();
            throw e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
        }
    }

    @Override
    protected void submitRequestEntries(
            List<DocumentRequest> entries, ResultHandler<DocumentRequest> resultHandler) {
        long start = System.nanoTime();
        try {
            client.bulk(toBulkRequest(entries))
                    .whenComplete(
                            (response, error) -> {
                                long latencyMs =
                                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                                inMailbox(
                                        () -> {
                                            if (error != null) {
                                                onRequestFailure(entries, resultHandler, error);
                                            } else {
                                                onResponse(
                                                        entries,
                                                        response,
                                                        latencyMs,
                                                        resultHandler);
                                            }
                                        });
                            });
        } catch (RuntimeException e) {
            // building or starting the request failed on this thread: same rules as a failure
            onRequestFailure(entries, resultHandler, e);
        }
    }

    private void onResponse(
            List<DocumentRequest> entries,
            BulkResponse response,
            long latencyMs,
            ResultHandler<DocumentRequest> resultHandler)
            throws IOException {
        lastBulkLatencyMs = latencyMs;
        consecutiveRequestFailures = 0;
        if (!response.errors()) {
            documentsSent.inc(entries.size());
            resultHandler.complete();
            return;
        }
        List<BulkResponseItem> items = response.items();
        if (items.size() != entries.size()) {
            resultHandler.completeExceptionally(
                    new IllegalStateException(
                            "Elasticsearch answered a bulk of "
                                    + entries.size()
                                    + " documents with "
                                    + items.size()
                                    + " items"));
            return;
        }
        List<DocumentRequest> retries = new ArrayList<>();
        int sent = 0;
        int highestAttempt = 0;
        for (int i = 0; i < items.size(); i++) {
            BulkResponseItem item = items.get(i);
            DocumentRequest request = entries.get(i);
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
            switch (retryPolicy.classifyItem(item.status(), request.attempt())) {
                case RETRY:
                    DocumentRequest retry = request.nextAttempt();
                    highestAttempt = Math.max(highestAttempt, retry.attempt());
                    retries.add(retry);
                    break;
                case DEAD_LETTER_PERMANENT:
                    deadLetter(request, describe(item));
                    break;
                case DEAD_LETTER_RETRIES_EXHAUSTED:
                    deadLetter(
                            request,
                            "gave up after "
                                    + (request.attempt() + 1)
                                    + " attempts: "
                                    + describe(item));
                    break;
            }
        }
        documentsSent.inc(sent);
        if (retries.isEmpty()) {
            resultHandler.complete();
            return;
        }
        documentsRetried.inc(retries.size());
        long delay =
                retryPolicy.backoffMillis(highestAttempt, ThreadLocalRandom.current().nextDouble());
        LOG.debug(
                "{} of {} documents were rejected for now (e.g. status {}); retry {} in {} ms",
                retries.size(),
                entries.size(),
                firstErrorStatus(items),
                highestAttempt,
                delay);
        retryLater(resultHandler, retries, delay);
    }

    private void onRequestFailure(
            List<DocumentRequest> entries,
            ResultHandler<DocumentRequest> resultHandler,
            Throwable error) {
        bulkRequestsFailed.inc();
        RetryPolicy.RequestFailure failure = RetryPolicy.classifyRequestFailure(error);
        if (failure.decision() == RetryPolicy.RequestDecision.FAIL) {
            LOG.error("Elasticsearch sink fails: {}", failure.message(), error);
            resultHandler.completeExceptionally(
                    new ElasticsearchSinkException(failure.message(), error));
            return;
        }
        consecutiveRequestFailures++;
        long delay =
                retryPolicy.backoffMillis(
                        consecutiveRequestFailures, ThreadLocalRandom.current().nextDouble());
        LOG.warn(
                "Bulk request of {} documents failed ({}); retrying all of them in {} ms"
                        + " ({} failed requests in a row)",
                entries.size(),
                failure.message(),
                delay,
                consecutiveRequestFailures);
        documentsRetried.inc(entries.size());
        retryLater(resultHandler, entries, delay);
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

    static BulkRequest toBulkRequest(List<DocumentRequest> entries) {
        BulkRequest.Builder bulk = new BulkRequest.Builder();
        for (DocumentRequest request : entries) {
            bulk.operations(toOperation(request));
        }
        return bulk.build();
    }

    private static BulkOperation toOperation(DocumentRequest request) {
        switch (request.op()) {
            case INDEX:
                BinaryData document =
                        BinaryData.of(request.sourceBytes(), ContentType.APPLICATION_JSON);
                return BulkOperation.of(
                        op ->
                                op.index(
                                        i -> {
                                            i.index(request.index())
                                                    .id(request.id())
                                                    .document(document);
                                            if (request.version() != DocumentRequest.NO_VERSION) {
                                                i.version(request.version())
                                                        .versionType(VersionType.ExternalGte);
                                            }
                                            return i;
                                        }));
            case UPSERT:
                BinaryData action =
                        BinaryData.of(upsertBody(request), ContentType.APPLICATION_JSON);
                return BulkOperation.of(
                        op ->
                                op.update(
                                        u ->
                                                u.index(request.index())
                                                        .id(request.id())
                                                        .retryOnConflict(RETRY_ON_CONFLICT)
                                                        .binaryAction(action)));
            case DELETE:
                return BulkOperation.of(
                        op -> op.delete(d -> d.index(request.index()).id(request.id())));
            default:
                throw new IllegalArgumentException("unknown op " + request.op());
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

    private static int firstErrorStatus(List<BulkResponseItem> items) {
        return items.stream()
                .filter(i -> i.error() != null)
                .mapToInt(BulkResponseItem::status)
                .findFirst()
                .orElse(0);
    }
}
