package io.echolot.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Distinct authors: exact while a window has few, estimated within a few percent past that. */
class UniqueAuthorsTest {

    private static MentionStats authors(String prefix, int from, int to) {
        MentionStats s = new MentionStats();
        for (int i = from; i < to; i++) {
            UniqueAuthors.add(s, prefix + i);
        }
        return s;
    }

    @Test
    void countsExactlyUpToTheLimitWhateverRepeats() {
        MentionStats s = authors("author-", 0, UniqueAuthors.EXACT_LIMIT);
        for (int i = 0; i < UniqueAuthors.EXACT_LIMIT; i += 7) {
            UniqueAuthors.add(s, "author-" + i);
        }
        assertThat(UniqueAuthors.count(s)).isEqualTo(UniqueAuthors.EXACT_LIMIT);
        assertThat(s.authorSketch).isNull();
    }

    @Test
    void estimatesPastTheLimitWithinAFewPercent() {
        for (int n : new int[] {UniqueAuthors.EXACT_LIMIT + 1, 10_000, 100_000}) {
            MentionStats s = authors("u", 0, n);
            // again: repeats must not count
            for (int i = 0; i < n; i += 3) {
                UniqueAuthors.add(s, "u" + i);
            }
            assertThat(s.authorSketch).isNotNull();
            assertThat(s.authorHashes).isEmpty();
            assertThat((double) UniqueAuthors.count(s)).isCloseTo(n, within(0.05 * n));
            assertThat(UniqueAuthors.count(s)).isGreaterThan(UniqueAuthors.EXACT_LIMIT);
        }
    }

    @Test
    void mergingCountsTheUnionExactOrEstimated() {
        // exact and exact, overlapping: still exact
        MentionStats a = authors("u", 0, 300);
        UniqueAuthors.merge(a, authors("u", 200, 500));
        assertThat(UniqueAuthors.count(a)).isEqualTo(500);
        // exact and exact whose union passes the limit
        MentionStats b = authors("u", 0, 3_000);
        UniqueAuthors.merge(b, authors("u", 2_000, 6_000));
        assertThat((double) UniqueAuthors.count(b)).isCloseTo(6_000, within(300.0));
        // a sketch into exact, and a sketch into a sketch
        MentionStats c = authors("u", 0, 100);
        UniqueAuthors.merge(c, authors("u", 50, 20_000));
        assertThat((double) UniqueAuthors.count(c)).isCloseTo(20_000, within(1_000.0));
        MentionStats d = authors("u", 0, 30_000);
        UniqueAuthors.merge(d, authors("u", 20_000, 50_000));
        assertThat((double) UniqueAuthors.count(d)).isCloseTo(50_000, within(2_500.0));
        // and the merged sketch goes on counting in place
        for (int i = 50_000; i < 60_000; i++) {
            UniqueAuthors.add(d, "u" + i);
        }
        assertThat((double) UniqueAuthors.count(d)).isCloseTo(60_000, within(3_000.0));
    }

    @Test
    void idsThatDifferOnlyInUnpairedSurrogatesOrCaseAreDifferentAuthors() {
        MentionStats s = new MentionStats();
        for (String id : new String[] {"\uD800", "\uD801", "\uDC00", "?", "", "Anna", "anna"}) {
            UniqueAuthors.add(s, id);
        }
        UniqueAuthors.add(s, null);
        // null counts as the empty id
        assertThat(UniqueAuthors.count(s)).isEqualTo(7);
    }

    /** What a state backend that stores bytes (RocksDB) reads and writes per mention. */
    @Test
    void theSerializedWindowStaysSmallHoweverManyAuthors() throws Exception {
        TypeSerializer<MentionStats> serializer =
                TypeInformation.of(MentionStats.class).createSerializer(new SerializerConfigImpl());
        MentionStats s = authors("author-with-a-longish-id-", 0, 100_000);
        DataOutputSerializer out = new DataOutputSerializer(1 << 12);
        serializer.serialize(s, out);
        // the sketch's 4 KB and the rest of the window; 100,000 ids would be about 3 MB
        assertThat(out.length()).isLessThan(5_000);
        MentionStats back =
                serializer.deserialize(
                        new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        assertThat(UniqueAuthors.count(back)).isEqualTo(UniqueAuthors.count(s));
        UniqueAuthors.add(back, "one-more");
        assertThat(UniqueAuthors.count(back)).isGreaterThanOrEqualTo(UniqueAuthors.count(s));
    }
}
