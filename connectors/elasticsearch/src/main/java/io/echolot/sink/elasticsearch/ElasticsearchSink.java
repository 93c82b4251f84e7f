package io.echolot.sink.elasticsearch;

import io.echolot.index.DocumentConverter;
import io.echolot.index.DocumentRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.AsyncSinkBaseBuilder;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.InstantiationUtil;

/**
 * At-least-once Elasticsearch sink on Flink's async sink: buffers documents, writes them with
 * {@code _bulk}, retries what Elasticsearch rejects for now (overload, write blocks, outages) for
 * as long as it takes, dead-letters what it will never accept, and keeps unsent documents in
 * checkpoints. With deterministic ids from the {@link DocumentConverter}, replays after a failure
 * overwrite instead of duplicating.
 *
 * <pre>{@code
 * ElasticsearchSink<MentionStats> sink =
 *     ElasticsearchSink.<MentionStats>builder()
 *         .setConfig(ElasticsearchConfig.builder().hosts("http://127.0.0.1:9200").build())
 *         .setConverter(new MentionStatsDocuments())
 *         .setDeadLetterHandler(new KafkaDeadLetterHandler(brokers, "echolot.dlq"))
 *         .addIndexTemplate("echolot-mentions", "echolot/elasticsearch/templates/mentions.json")
 *         .build();
 * stream.sinkTo(sink).uid("es-sink").name("elasticsearch");
 * }</pre>
 */
public final class ElasticsearchSink<T> extends AsyncSinkBase<T, DocumentRequest> {

    private static final long serialVersionUID = 1L;

    private final ElasticsearchConfig config;
    private final RetryPolicy retryPolicy;
    private final DeadLetterHandler deadLetterHandler;
    private final List<IndexTemplates.Template> templates;

    private ElasticsearchSink(Builder<T> b, long requestTimeoutMs) {
        super(
                b.converter,
                b.maxBatchSize(),
                b.maxInFlightRequests(),
                b.maxBufferedRequests(),
                b.maxBatchSizeInBytes(),
                b.maxTimeInBufferMs(),
                b.maxRecordSizeInBytes(),
                requestTimeoutMs,
                false);
        this.config = b.config;
        this.retryPolicy = new RetryPolicy(b.initialBackoff, b.maxBackoff);
        this.deadLetterHandler = b.deadLetterHandler;
        this.templates = List.copyOf(b.templates);
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    @Override
    public StatefulSinkWriter<T, BufferedRequestState<DocumentRequest>> createWriter(
            WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<T, BufferedRequestState<DocumentRequest>> restoreWriter(
            WriterInitContext context, Collection<BufferedRequestState<DocumentRequest>> state)
            throws IOException {
        AsyncSinkWriterConfiguration writerConfiguration =
                AsyncSinkWriterConfiguration.builder()
                        .setMaxBatchSize(getMaxBatchSize())
                        .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                        .setMaxInFlightRequests(getMaxInFlightRequests())
                        .setMaxBufferedRequests(getMaxBufferedRequests())
                        .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                        .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                        .setRequestTimeoutMS(getRequestTimeoutMS())
                        .setFailOnTimeout(getFailOnTimeout())
                        .build();
        return new ElasticsearchSinkWriter<>(
                getElementConverter(),
                context,
                writerConfiguration,
                state,
                config,
                retryPolicy,
                ownCopy(deadLetterHandler, context),
                templates);
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<DocumentRequest>>
            getWriterStateSerializer() {
        return new DocumentRequestSerializer();
    }

    /** Writers in one JVM must not share a handler's producer or counters. */
    private static DeadLetterHandler ownCopy(DeadLetterHandler handler, WriterInitContext context)
            throws IOException {
        try {
            return InstantiationUtil.clone(
                    handler, context.getUserCodeClassLoader().asClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IOException("could not copy the dead-letter handler " + handler, e);
        }
    }

    /**
     * Builds an {@link ElasticsearchSink}. Batching settings come from Flink's {@link
     * AsyncSinkBaseBuilder}; unset ones get the defaults below.
     */
    public static final class Builder<T>
            extends AsyncSinkBaseBuilder<T, DocumentRequest, Builder<T>> {

        public static final int DEFAULT_MAX_BATCH_SIZE = 1000;
        public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS = 2;
        public static final int DEFAULT_MAX_BUFFERED_REQUESTS = 10_000;
        public static final long DEFAULT_MAX_BATCH_SIZE_IN_BYTES = 5L * 1024 * 1024;
        public static final long DEFAULT_MAX_TIME_IN_BUFFER_MS = 1000;
        public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
        public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
        public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(10);

        private ElasticsearchConfig config;
        private DocumentConverter<T> converter;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private DeadLetterHandler deadLetterHandler = new LoggingDeadLetterHandler();
        private final List<IndexTemplates.Template> templates = new ArrayList<>();

        private Builder() {}

        public Builder<T> setConfig(ElasticsearchConfig config) {
            this.config = config;
            return this;
        }

        public Builder<T> setConverter(DocumentConverter<T> converter) {
            this.converter = converter;
            return this;
        }

        /** First wait before a retry; doubles per attempt up to {@link #setMaxBackoff}. */
        public Builder<T> setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
            return this;
        }

        public Builder<T> setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        /**
         * After this long without an outcome, Flink re-queues a whole bulk. Must exceed the socket
         * timeout plus the max backoff, or slow answers get sent twice.
         */
        public Builder<T> setRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** Where rejected documents go; default {@link LoggingDeadLetterHandler}. */
        public Builder<T> setDeadLetterHandler(DeadLetterHandler deadLetterHandler) {
            this.deadLetterHandler = deadLetterHandler;
            return this;
        }

        /**
         * Makes sure, when each writer starts and before it sends any document, that the index
         * template {@code name} with the body in the classpath {@code resource} is installed at the
         * file's {@code version} or a newer one (see {@link IndexTemplates}). Register a template
         * on the sink that writes the indices it matches.
         */
        public Builder<T> addIndexTemplate(String name, String resource) {
            IndexTemplates.Template template = new IndexTemplates.Template(name, resource);
            // fail while building the job, not on the TaskManager
            IndexTemplates.readResource(template, classLoader());
            templates.add(template);
            return this;
        }

        @Override
        public ElasticsearchSink<T> build() {
            if (config == null) {
                throw new IllegalArgumentException("the Elasticsearch sink needs setConfig(...)");
            }
            if (converter == null) {
                throw new IllegalArgumentException(
                        "the Elasticsearch sink needs setConverter(...)");
            }
            if (deadLetterHandler == null) {
                throw new IllegalArgumentException("the dead-letter handler must not be null");
            }
            Duration needed = config.socketTimeout().plus(config.connectTimeout()).plus(maxBackoff);
            if (requestTimeout.compareTo(needed) <= 0) {
                throw new IllegalArgumentException(
                        "the request timeout "
                                + requestTimeout
                                + " must exceed socket timeout + connect timeout + max backoff = "
                                + needed);
            }
            return new ElasticsearchSink<>(this, requestTimeout.toMillis());
        }

        private int maxBatchSize() {
            return getMaxBatchSize() != null ? getMaxBatchSize() : DEFAULT_MAX_BATCH_SIZE;
        }

        private int maxInFlightRequests() {
            return getMaxInFlightRequests() != null
                    ? getMaxInFlightRequests()
                    : DEFAULT_MAX_IN_FLIGHT_REQUESTS;
        }

        private int maxBufferedRequests() {
            return getMaxBufferedRequests() != null
                    ? getMaxBufferedRequests()
                    : Math.max(DEFAULT_MAX_BUFFERED_REQUESTS, maxBatchSize() * 2);
        }

        private long maxBatchSizeInBytes() {
            return getMaxBatchSizeInBytes() != null
                    ? getMaxBatchSizeInBytes()
                    : DEFAULT_MAX_BATCH_SIZE_IN_BYTES;
        }

        private long maxTimeInBufferMs() {
            return getMaxTimeInBufferMS() != null
                    ? getMaxTimeInBufferMS()
                    : DEFAULT_MAX_TIME_IN_BUFFER_MS;
        }

        private long maxRecordSizeInBytes() {
            return getMaxRecordSizeInBytes() != null
                    ? getMaxRecordSizeInBytes()
                    : maxBatchSizeInBytes();
        }

        private static ClassLoader classLoader() {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            return context != null ? context : ElasticsearchSink.class.getClassLoader();
        }
    }
}
