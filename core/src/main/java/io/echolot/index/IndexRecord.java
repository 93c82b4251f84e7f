package io.echolot.index;

import io.echolot.deadletter.DeadLetter;

/**
 * One record of an index topic as the indexing job read it: the parts of the document write it
 * carries, or a dead letter when it carries none that can be written. Flat fields keep it a Flink
 * POJO type (no generic serialisation between the operators).
 *
 * @param op the {@link DocumentRequest.Op} name
 * @param version the external version, or {@link DocumentRequest#NO_VERSION}
 */
public record IndexRecord(
        String index, String id, String op, long version, byte[] source, DeadLetter deadLetter) {

    public static IndexRecord of(DocumentRequest request) {
        return new IndexRecord(
                request.index(),
                request.id(),
                request.op().name(),
                request.version(),
                request.source(),
                null);
    }

    public static IndexRecord deadLetter(DeadLetter deadLetter) {
        return new IndexRecord(null, null, null, DocumentRequest.NO_VERSION, null, deadLetter);
    }

    /** True when the record carries a document write. */
    public boolean isRequest() {
        return deadLetter == null;
    }

    /** The document write this record carries. */
    public DocumentRequest request() {
        return switch (DocumentRequest.Op.valueOf(op)) {
            case DELETE -> DocumentRequest.delete(index, id);
            case UPSERT -> DocumentRequest.upsert(index, id, source);
            case INDEX ->
                    version == DocumentRequest.NO_VERSION
                            ? DocumentRequest.index(index, id, source)
                            : DocumentRequest.indexVersioned(index, id, source, version);
        };
    }
}
