package io.echolot.index;

import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

/**
 * Turns a stream element into the document write the sink sends: index, a deterministic id (so a
 * replay overwrites instead of duplicating), the operation and the JSON bytes.
 *
 * <p>Implement {@link #convert} in a named, serializable class; it runs on the TaskManager and must
 * never return {@code null} (filter before the sink instead).
 */
@FunctionalInterface
public interface DocumentConverter<T> extends ElementConverter<T, DocumentRequest> {

    DocumentRequest convert(T element);

    @Override
    default DocumentRequest apply(T element, SinkWriter.Context context) {
        return convert(element);
    }
}
