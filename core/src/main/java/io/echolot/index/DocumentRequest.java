package io.echolot.index;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One document write for the Elasticsearch sink: its buffered request entry, kept in Flink state
 * between checkpoints.
 *
 * <p>Immutable. The id is mandatory because replays after a failure must overwrite the same
 * document instead of adding a new one. {@link #attempt()} counts how many times the entry was
 * already sent; it sets how long the next back-off is.
 */
public final class DocumentRequest implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What the request does to the document. */
    public enum Op {
        /** Create or replace the whole document. */
        INDEX,
        /** Merge the source into the document, creating it if missing ({@code doc_as_upsert}). */
        UPSERT,
        /** Remove the document; has no source. */
        DELETE
    }

    /** {@link #version()} of a request that overwrites whatever is stored. */
    public static final long NO_VERSION = -1;

    /** Bulk framing per document: the action line and newlines, a rough but stable estimate. */
    private static final int ACTION_LINE_OVERHEAD = 48;

    private final String index;
    private final String id;
    private final String elasticsearchId;
    private final Op op;
    private final byte[] source;
    private final int attempt;
    private final long version;

    private DocumentRequest(
            String index, String id, Op op, byte[] source, int attempt, long version) {
        if (index == null || index.isEmpty()) {
            throw new IllegalArgumentException("a document request needs an index name");
        }
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(
                    "a document request needs an id (deterministic ids keep replays idempotent)");
        }
        Objects.requireNonNull(op, "op");
        if (op == Op.DELETE && source != null) {
            throw new IllegalArgumentException("a DELETE request has no source");
        }
        if (op != Op.DELETE && source == null) {
            throw new IllegalArgumentException("an " + op + " request needs a JSON source");
        }
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0, got " + attempt);
        }
        if (version != NO_VERSION && (op != Op.INDEX || version < 0)) {
            throw new IllegalArgumentException(
                    "only INDEX requests carry a version, and it must be >= 0; got "
                            + op
                            + " with "
                            + version);
        }
        this.index = index;
        this.id = id;
        this.elasticsearchId = ElasticsearchIds.of(id);
        this.op = op;
        this.source = source;
        this.attempt = attempt;
        this.version = version;
    }

    /**
     * Creates or replaces the document {@code id} in {@code index} with the JSON {@code source}.
     */
    public static DocumentRequest index(String index, String id, byte[] source) {
        return new DocumentRequest(index, id, Op.INDEX, copy(source), 0, NO_VERSION);
    }

    /**
     * Creates or replaces the document unless a higher {@code version} of it is stored already
     * (external versioning): states of one entity written out of order — after a retry, or by
     * parallel writers — never let an older state overwrite a newer one. Writing the same version
     * again succeeds, so replays stay idempotent.
     */
    public static DocumentRequest indexVersioned(
            String index, String id, byte[] source, long version) {
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, got " + version);
        }
        return new DocumentRequest(index, id, Op.INDEX, copy(source), 0, version);
    }

    /** Merges the JSON {@code source} into the document, creating it if it does not exist. */
    public static DocumentRequest upsert(String index, String id, byte[] source) {
        return new DocumentRequest(index, id, Op.UPSERT, copy(source), 0, NO_VERSION);
    }

    /** Deletes the document; deleting a missing document is not an error. */
    public static DocumentRequest delete(String index, String id) {
        return new DocumentRequest(index, id, Op.DELETE, null, 0, NO_VERSION);
    }

    /** Rebuilds a request exactly as it was, e.g. from the sink's checkpointed state. */
    public static DocumentRequest of(
            String index, String id, Op op, byte[] source, int attempt, long version) {
        return new DocumentRequest(index, id, op, source, attempt, version);
    }

    /** The same request, counted as sent once more. */
    public DocumentRequest nextAttempt() {
        return new DocumentRequest(index, id, op, source, attempt + 1, version);
    }

    public String index() {
        return index;
    }

    /** The id the converter gave; kept for dead letters and logs. */
    public String id() {
        return id;
    }

    /**
     * The {@code _id} sent to Elasticsearch: {@link #id()}, or its hash when the id is too long or
     * unusual for Elasticsearch (see {@link ElasticsearchIds}).
     */
    public String elasticsearchId() {
        return elasticsearchId;
    }

    public Op op() {
        return op;
    }

    /** A copy of the JSON source, or {@code null} for {@link Op#DELETE}. */
    public byte[] source() {
        return copy(source);
    }

    /**
     * The source without copying, for the sink's hot path (a copy per document would cost the bulk
     * build its allocation budget); callers must not modify it.
     */
    public byte[] sourceBytes() {
        return source;
    }

    /** The external version, or {@link #NO_VERSION}. */
    public long version() {
        return version;
    }

    /** How many times this request was already sent and answered with a retryable status. */
    public int attempt() {
        return attempt;
    }

    /** Approximate bytes this request adds to a bulk body, used for batching limits. */
    public long sizeInBytes() {
        return ACTION_LINE_OVERHEAD
                + index.length()
                + elasticsearchId.getBytes(StandardCharsets.UTF_8).length
                + (source == null ? 0 : source.length);
    }

    private static byte[] copy(byte[] bytes) {
        return bytes == null ? null : bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DocumentRequest)) {
            return false;
        }
        DocumentRequest that = (DocumentRequest) o;
        return attempt == that.attempt
                && version == that.version
                && index.equals(that.index)
                && id.equals(that.id)
                && op == that.op
                && Arrays.equals(source, that.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, id, op, attempt, version) * 31 + Arrays.hashCode(source);
    }

    /** Names the document, never its content (sources can hold personal data). */
    @Override
    public String toString() {
        return op
                + " "
                + index
                + "/"
                + elasticsearchId
                + (version == NO_VERSION ? "" : " v" + version)
                + " (attempt "
                + attempt
                + (source == null ? "" : ", " + source.length + " bytes")
                + ")";
    }
}
