package io.echolot.sink.elasticsearch;

import io.echolot.index.DocumentConverter;
import io.echolot.index.DocumentRequest;
import java.nio.charset.StandardCharsets;

/** Writes each test document into one index under its own id, with one operation for all. */
public final class SinkTestDocumentConverter implements DocumentConverter<SinkTestDocument> {

    private static final long serialVersionUID = 1L;

    private final String index;
    private final DocumentRequest.Op op;

    public SinkTestDocumentConverter(String index) {
        this(index, DocumentRequest.Op.INDEX);
    }

    public SinkTestDocumentConverter(String index, DocumentRequest.Op op) {
        this.index = index;
        this.op = op;
    }

    @Override
    public DocumentRequest convert(SinkTestDocument document) {
        byte[] json = document.json().getBytes(StandardCharsets.UTF_8);
        switch (op) {
            case UPSERT:
                return DocumentRequest.upsert(index, document.id(), json);
            case DELETE:
                return DocumentRequest.delete(index, document.id());
            default:
                return DocumentRequest.index(index, document.id(), json);
        }
    }
}
