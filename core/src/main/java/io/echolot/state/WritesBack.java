package io.echolot.state;

import java.util.function.Consumer;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * A keyed function that holds state writes in memory ({@link MapStateWriteBack}) and must store
 * them when a checkpoint is taken and when its input ends; its operator calls {@link
 * #flush(KeyContext, WritesBack)} from {@code snapshotState} and {@code finish}.
 */
public interface WritesBack {

    /** Stores every write held, switching the state's key with {@code setCurrentKey}. */
    void flushAll(Consumer<Object> setCurrentKey) throws Exception;

    /**
     * Stores what {@code function} holds through {@code operator}'s key context, then gives the
     * operator back the key it had: the flush switches the key for each key held.
     */
    static void flush(KeyContext operator, WritesBack function) throws Exception {
        Object current = operator.getCurrentKey();
        function.flushAll(operator::setCurrentKey);
        if (current != null) {
            operator.setCurrentKey(current);
        }
    }
}
