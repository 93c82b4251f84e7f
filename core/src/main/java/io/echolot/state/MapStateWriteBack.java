package io.echolot.state;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.state.MapState;

/**
 * A bounded write-back cache in front of one keyed {@link MapState}: the entries a function changes
 * on every record stay in memory, per Flink key, and are stored once: when a checkpoint is taken
 * ({@link #flushAll}, from the operator's {@code snapshotState}, which runs before the keyed state
 * is snapshotted) or before the function reads or changes the whole map of that key ({@link
 * #flush}). On RocksDB each state access serializes the whole value, which for evidence of hundreds
 * of entries costs far more than the record's own work.
 *
 * <p>The contract: every read of an entry goes through {@link #get}, and any direct use of the
 * underlying state for a key ({@code entries}, {@code keys}, {@code remove}, {@code clear}) comes
 * after {@link #flush} of that key; otherwise a held entry is missed, or brought back by the next
 * flush. At most {@code maxKeys} Flink keys are held; the entries of further keys are written
 * through, which bounds the heap whatever the checkpoint interval. Held entries lost on a failure
 * are no loss: the job restores the checkpoint, which has everything written before it, and the
 * source replays the rest. Not thread-safe, like the function that owns it.
 *
 * @param <K> the map's key
 * @param <V> the map's value; mutable values are changed in place and put back
 */
public final class MapStateWriteBack<K, V> {

    private final MapState<K, V> state;
    private final int maxKeys;
    private final Map<Object, Map<K, V>> dirty = new HashMap<>();

    /**
     * @param state the keyed map state behind the cache
     * @param maxKeys Flink keys whose entries are held at most; beyond them writes go through
     */
    public MapStateWriteBack(MapState<K, V> state, int maxKeys) {
        if (maxKeys < 0) {
            throw new IllegalArgumentException("maxKeys must be >= 0");
        }
        this.state = state;
        this.maxKeys = maxKeys;
    }

    /** The value of {@code k} for the current Flink key {@code currentKey}. */
    public V get(Object currentKey, K k) throws Exception {
        Map<K, V> held = dirty.get(currentKey);
        V v = held == null ? null : held.get(k);
        return v != null ? v : state.get(k);
    }

    /** Sets {@code k} to {@code v} for the current Flink key {@code currentKey}. */
    public void put(Object currentKey, K k, V v) throws Exception {
        Map<K, V> held = dirty.get(currentKey);
        if (held == null) {
            if (dirty.size() >= maxKeys) {
                state.put(k, v);
                return;
            }
            held = new HashMap<>();
            dirty.put(currentKey, held);
        }
        held.put(k, v);
    }

    /** Stores the entries held for the current Flink key {@code currentKey}. */
    public void flush(Object currentKey) throws Exception {
        Map<K, V> held = dirty.remove(currentKey);
        if (held != null) {
            state.putAll(held);
        }
    }

    /**
     * Stores every entry held, switching the state's key with {@code setCurrentKey} (the
     * operator's) for each Flink key; the current key is then the last one stored.
     */
    public void flushAll(Consumer<Object> setCurrentKey) throws Exception {
        for (Map.Entry<Object, Map<K, V>> e : dirty.entrySet()) {
            setCurrentKey.accept(e.getKey());
            state.putAll(e.getValue());
        }
        dirty.clear();
    }

    /** Flink keys with entries held. */
    public int keysHeld() {
        return dirty.size();
    }
}
