package io.echolot.tools;

import java.io.Serializable;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that discards what it receives and only counts it (records, and a weight per record such
 * as the mentions an aggregate covers), so that a benchmark measures the work before the sinks and
 * can still check that nothing went missing. Only for in-process execution: the counts live in this
 * JVM.
 */
final class CountingSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;
    private static final Map<String, LongAdder[]> COUNTS = new ConcurrentHashMap<>();

    /** What one record counts for besides itself. */
    interface Weight<T> extends Serializable {
        long of(T value);
    }

    private final String id = UUID.randomUUID().toString();
    private final Weight<T> weight;

    CountingSink() {
        this(v -> 0);
    }

    CountingSink(Weight<T> weight) {
        this.weight = weight;
        COUNTS.put(id, new LongAdder[] {new LongAdder(), new LongAdder()});
    }

    /** Records received. */
    long records() {
        return COUNTS.get(id)[0].sum();
    }

    /** Sum of the weights of the records received. */
    long weight() {
        return COUNTS.get(id)[1].sum();
    }

    /** Forgets the counts. */
    void close() {
        COUNTS.remove(id);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        LongAdder[] counts = COUNTS.get(id);
        Weight<T> w = weight;
        return new SinkWriter<>() {
            private long records;
            private long weights;

            @Override
            public void write(T element, Context ctx) {
                records++;
                weights += w.of(element);
            }

            @Override
            public void flush(boolean endOfInput) {
                counts[0].add(records);
                counts[1].add(weights);
                records = 0;
                weights = 0;
            }

            @Override
            public void close() {
                flush(true);
            }
        };
    }
}
