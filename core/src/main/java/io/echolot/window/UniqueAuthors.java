package io.echolot.window;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.apache.datasketches.hash.MurmurHash3;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.memory.WritableMemory;

/**
 * Counts the distinct authors of a window ({@link MentionStats}) at a cost per mention that stays
 * bounded however many authors the window has: exactly up to {@link #EXACT_LIMIT} authors, as
 * sorted 64-bit hashes of their ids, and past it with a HyperLogLog sketch of 2^12 registers
 * (Apache DataSketches; relative standard error about 1.6 %).
 *
 * <p>Why: on RocksDB the window's accumulator is read and written for every mention. A set of the
 * ids themselves made each mention cost as much as the window had authors, so a viral spike, with
 * tens of thousands of authors in one window, slowed the job exactly when it mattered.
 */
public final class UniqueAuthors {

    /** Windows with at most this many authors count them exactly. */
    public static final int EXACT_LIMIT = 4_096;

    /** log2 of the sketch's registers. */
    static final int LG_K = 12;

    private static final TgtHllType TYPE = TgtHllType.HLL_8;

    private static final int SKETCH_BYTES = HllSketch.getMaxUpdatableSerializationBytes(LG_K, TYPE);

    private static final long SEED = 0x6563686F6C6F74L;

    private static final long[] NONE = new long[0];

    private static final long EMPTY_ID = MurmurHash3.hash(new long[] {0L}, SEED)[0];

    private UniqueAuthors() {}

    /**
     * The 64-bit hash of an author id, over its UTF-16 code units: two ids that differ only in
     * unpaired surrogates stay apart (UTF-8 would turn both into '?'). Two of a window's authors
     * share a hash with a probability of about n²/2^65: 5·10^-13 at {@link #EXACT_LIMIT}.
     */
    static long hash(String authorId) {
        if (authorId == null || authorId.isEmpty()) {
            // the hash takes no empty array
            return EMPTY_ID;
        }
        return MurmurHash3.hash(authorId.toCharArray(), SEED)[0];
    }

    /** Counts an author into the window's statistics. */
    public static void add(MentionStats s, String authorId) {
        upgrade(s);
        addHash(s, hash(authorId));
    }

    /** Counts the authors of {@code from} into {@code into}. */
    public static void merge(MentionStats into, MentionStats from) {
        upgrade(into);
        upgrade(from);
        if (from.authorSketch == null) {
            for (long h : from.authorHashes) {
                addHash(into, h);
            }
            return;
        }
        if (into.authorSketch == null) {
            toSketch(into);
        }
        Union union = new Union(LG_K);
        union.update(HllSketch.wrap(Memory.wrap(into.authorSketch)));
        union.update(HllSketch.wrap(Memory.wrap(from.authorSketch)));
        byte[] image = union.getResult(TYPE).toUpdatableByteArray();
        // the full size, so that the sketch can go on being updated in place
        into.authorSketch = Arrays.copyOf(image, Math.max(image.length, SKETCH_BYTES));
    }

    /** The window's distinct authors: exact up to {@link #EXACT_LIMIT}, estimated past it. */
    public static long count(MentionStats s) {
        upgrade(s);
        if (s.authorSketch == null) {
            return s.authorHashes.length;
        }
        // past the limit for certain: the sketch was started by its (limit + 1)th author
        return Math.max(
                EXACT_LIMIT + 1L,
                Math.round(HllSketch.wrap(Memory.wrap(s.authorSketch)).getEstimate()));
    }

    private static void addHash(MentionStats s, long h) {
        if (s.authorSketch != null) {
            HllSketch.writableWrap(WritableMemory.writableWrap(s.authorSketch)).update(h);
            return;
        }
        long[] a = s.authorHashes;
        int i = Arrays.binarySearch(a, h);
        if (i >= 0) {
            return;
        }
        if (a.length >= EXACT_LIMIT) {
            toSketch(s);
            HllSketch.writableWrap(WritableMemory.writableWrap(s.authorSketch)).update(h);
            return;
        }
        int at = -i - 1;
        long[] b = new long[a.length + 1];
        System.arraycopy(a, 0, b, 0, at);
        b[at] = h;
        System.arraycopy(a, at, b, at + 1, a.length - at);
        s.authorHashes = b;
    }

    private static void toSketch(MentionStats s) {
        byte[] bytes = new byte[SKETCH_BYTES];
        HllSketch sketch = new HllSketch(LG_K, TYPE, WritableMemory.writableWrap(bytes));
        for (long h : s.authorHashes) {
            sketch.update(h);
        }
        s.authorSketch = bytes;
        s.authorHashes = NONE;
    }

    /**
     * A window restored from state written before the hashes holds its authors as ids: they move
     * into the hashes before anything is counted.
     */
    private static void upgrade(MentionStats s) {
        if (s.authorHashes == null) {
            s.authorHashes = NONE;
        }
        if (s.authors != null && !s.authors.isEmpty()) {
            Set<String> ids = s.authors;
            s.authors = new HashSet<>();
            for (String id : ids) {
                addHash(s, hash(id));
            }
        }
    }
}
