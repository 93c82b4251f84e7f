package io.echolot.sink.elasticsearch;

import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.metrics.MetricGroup;

/**
 * Receives the documents Elasticsearch will not take (permanent item errors, or retries used up),
 * so they are kept somewhere visible instead of being dropped or retried forever.
 *
 * <p>Each sink writer gets its own copy, opened once. {@link #accept} and {@link #flush} are called
 * from the writer's task thread. {@link #flush} is called whenever the writer flushes, before every
 * checkpoint: after it returns, every accepted dead letter must be durable, because the checkpoint
 * will not replay those documents. Throwing fails the job (losing dead letters would be silent data
 * loss).
 */
public interface DeadLetterHandler extends Serializable {

    /** What a handler may use when opened on the TaskManager. */
    record Context(int subtaskIndex, MetricGroup metricGroup) {}

    default void open(Context context) throws Exception {}

    /**
     * @param request the rejected document, with its source bytes
     * @param reason why: the status and the Elasticsearch error type and reason
     */
    void accept(DocumentRequest request, String reason) throws IOException;

    default void flush() throws IOException {}

    default void close() throws Exception {}
}
