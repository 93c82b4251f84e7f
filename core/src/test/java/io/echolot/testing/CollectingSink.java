package io.echolot.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink for MiniCluster tests that keeps what it receives in this JVM, so a test can assert on the
 * output of a bounded pipeline. Each instance has its own id; read with {@link #values()}.
 */
public final class CollectingSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;
    private static final Map<String, List<Object>> RECEIVED = new ConcurrentHashMap<>();

    private final String id = UUID.randomUUID().toString();

    public CollectingSink() {
        RECEIVED.put(id, new CopyOnWriteArrayList<>());
    }

    /** Everything received so far, in arrival order per subtask. */
    @SuppressWarnings("unchecked")
    public List<T> values() {
        return new ArrayList<>((List<T>) RECEIVED.get(id));
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        List<Object> into = RECEIVED.get(id);
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
