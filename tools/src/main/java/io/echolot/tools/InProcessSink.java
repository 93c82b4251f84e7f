package io.echolot.tools;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink for jobs the CLI runs on its own in-process Flink: it keeps what it receives in this JVM
 * until {@link #drain()}. Only for in-process execution (the tasks run in the CLI's JVM).
 */
final class InProcessSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;
    private static final Map<String, Collection<Object>> RECEIVED = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    InProcessSink() {
        RECEIVED.put(id, new ConcurrentLinkedQueue<>());
    }

    /** Everything received, and forgets it. */
    @SuppressWarnings("unchecked")
    List<T> drain() {
        Collection<Object> values = RECEIVED.remove(id);
        return values == null ? List.of() : new ArrayList<>((Collection<T>) values);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Collection<Object> into = RECEIVED.get(id);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                into.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
