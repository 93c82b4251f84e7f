package io.echolot.index;

/** The converter of the indexing job: the analytics job already made the documents. */
public final class AsWritten implements DocumentConverter<IndexRecord> {

    private static final long serialVersionUID = 1L;

    @Override
    public DocumentRequest convert(IndexRecord record) {
        return record.request();
    }
}
