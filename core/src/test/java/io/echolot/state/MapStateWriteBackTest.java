package io.echolot.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.junit.jupiter.api.Test;

class MapStateWriteBackTest {

    /** A keyed map state in memory: one map per key, the key set from outside as Flink does. */
    private static final class KeyedMaps implements MapState<Long, String> {
        final Map<Object, Map<Long, String>> byKey = new HashMap<>();
        Object currentKey;
        int writes;

        Map<Long, String> current() {
            return byKey.computeIfAbsent(currentKey, k -> new HashMap<>());
        }

        @Override
        public String get(Long k) {
            return current().get(k);
        }

        @Override
        public void put(Long k, String v) {
            writes++;
            current().put(k, v);
        }

        @Override
        public void putAll(Map<Long, String> m) {
            writes++;
            current().putAll(m);
        }

        @Override
        public void remove(Long k) {
            current().remove(k);
        }

        @Override
        public boolean contains(Long k) {
            return current().containsKey(k);
        }

        @Override
        public Iterable<Map.Entry<Long, String>> entries() {
            return current().entrySet();
        }

        @Override
        public Iterable<Long> keys() {
            return current().keySet();
        }

        @Override
        public Iterable<String> values() {
            return current().values();
        }

        @Override
        public Iterator<Map.Entry<Long, String>> iterator() {
            return current().entrySet().iterator();
        }

        @Override
        public boolean isEmpty() {
            return current().isEmpty();
        }

        @Override
        public void clear() {
            current().clear();
        }
    }

    @Test
    void readsTheLatestWriteBeforeItIsStored() throws Exception {
        KeyedMaps state = new KeyedMaps();
        state.currentKey = "a";
        state.put(1L, "stored");
        MapStateWriteBack<Long, String> cache = new MapStateWriteBack<>(state, 10);

        assertThat(cache.get("a", 1L)).isEqualTo("stored");
        cache.put("a", 1L, "first");
        cache.put("a", 1L, "second");
        assertThat(cache.get("a", 1L)).isEqualTo("second");
        assertThat(state.get(1L)).isEqualTo("stored");
        assertThat(state.writes).isEqualTo(1);
    }

    @Test
    void storesOneKeysEntriesOnFlushAndEveryKeyUnderItsOwnKeyOnFlushAll() throws Exception {
        KeyedMaps state = new KeyedMaps();
        MapStateWriteBack<Long, String> cache = new MapStateWriteBack<>(state, 10);
        cache.put("a", 1L, "a1");
        cache.put("a", 2L, "a2");
        cache.put("b", 1L, "b1");

        state.currentKey = "a";
        cache.flush("a");
        assertThat(state.byKey.get("a"))
                .containsExactlyInAnyOrderEntriesOf(Map.of(1L, "a1", 2L, "a2"));
        assertThat(state.byKey).doesNotContainKey("b");
        assertThat(cache.keysHeld()).isEqualTo(1);

        cache.flushAll(k -> state.currentKey = k);
        assertThat(state.byKey.get("b")).containsExactlyEntriesOf(Map.of(1L, "b1"));
        assertThat(cache.keysHeld()).isZero();
        // nothing is written twice: a key flushed once is not held anymore
        assertThat(state.writes).isEqualTo(2);
    }

    @Test
    void writesThroughOnceItHoldsMaxKeys() throws Exception {
        KeyedMaps state = new KeyedMaps();
        MapStateWriteBack<Long, String> cache = new MapStateWriteBack<>(state, 2);
        cache.put("a", 1L, "a1");
        cache.put("b", 1L, "b1");
        state.currentKey = "c";
        cache.put("c", 1L, "c1");

        assertThat(cache.keysHeld()).isEqualTo(2);
        assertThat(state.byKey.get("c")).containsExactlyEntriesOf(Map.of(1L, "c1"));
        assertThat(cache.get("c", 1L)).isEqualTo("c1");
        // a key already held keeps its entries in memory
        cache.put("a", 2L, "a2");
        assertThat(state.byKey).doesNotContainKey("a");
        assertThat(cache.get("a", 2L)).isEqualTo("a2");
    }
}
