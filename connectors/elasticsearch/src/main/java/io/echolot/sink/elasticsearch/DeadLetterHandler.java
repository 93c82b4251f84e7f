package io.echolot.sink.elasticsearch;

import io.echolot.index.DocumentRequest;
import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.metrics.MetricGroup;

/**
 * Receives the documents Elasticsearch will not take (permanent item errors, retries used up,
 * documents refused with the whole request, documents over the sink's size limit) and the elements
 * the converter fails on, so they are kept somewhere visible instead of being dropped, retried
 * forever, or failing the job.
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

    /**
     * Receives a stream element that never became a request: the converter threw for it. The
     * default logs it, for handlers written before this existed; keep elements durable in new ones.
     *
     * @param element the element as the sink got it
     * @param reason why: the converter's exception
     */
    default void acceptElement(Object element, String reason) throws IOException {
        org.slf4j.LoggerFactory.getLogger(DeadLetterHandler.class)
                .warn(
                        "Dead letter of {}: a {} the converter refused: {}",
                        this,
                        element == null ? "null" : element.getClass().getName(),
                        reason);
    }

    default void flush() throws IOException {}

    default void close() throws Exception {}
}
