package io.echolot.sink.elasticsearch;

import io.echolot.index.DocumentRequest;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default dead-letter path: counts rejected documents and logs index, id and reason. Sources
 * may hold personal data, so they are only logged at DEBUG, truncated.
 */
public final class LoggingDeadLetterHandler implements DeadLetterHandler {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LoggingDeadLetterHandler.class);
    private static final int MAX_LOGGED_SOURCE_BYTES = 1024;

    private transient long count;
    private transient int subtask;

    @Override
    public void open(Context context) {
        subtask = context.subtaskIndex();
        count = 0;
    }

    @Override
    public void accept(DocumentRequest request, String reason) {
        count++;
        LOG.warn(
                "Dead letter #{} of subtask {}: {} {}/{} rejected by Elasticsearch: {}",
                count,
                subtask,
                request.op(),
                request.index(),
                request.id(),
                reason);
        byte[] source = request.sourceBytes();
        if (source != null && LOG.isDebugEnabled()) {
            int shown = Math.min(source.length, MAX_LOGGED_SOURCE_BYTES);
            LOG.debug(
                    "Dead letter source of {}/{} ({} bytes): {}",
                    request.index(),
                    request.id(),
                    source.length,
                    new String(source, 0, shown, StandardCharsets.UTF_8));
        }
    }

    @Override
    public void acceptElement(Object element, String reason) {
        count++;
        LOG.warn(
                "Dead letter #{} of subtask {}: a {} could not be converted to a document: {}",
                count,
                subtask,
                element == null ? "null" : element.getClass().getName(),
                reason);
    }

    /** Dead letters seen by this writer's copy since it was opened. */
    public long count() {
        return count;
    }
}
