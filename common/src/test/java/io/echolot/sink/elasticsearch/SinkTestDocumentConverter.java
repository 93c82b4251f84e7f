package io.echolot.sink.elasticsearch;

import java.nio.charset.StandardCharsets;

/** Indexes each test document into one index under its own id. */
public final class SinkTestDocumentConverter implements DocumentConverter<SinkTestDocument> {

    private static final long serialVersionUID = 1L;

    private final String index;

    public SinkTestDocumentConverter(String index) {
        this.index = index;
    }

    @Override
    public DocumentRequest convert(SinkTestDocument document) {
        return DocumentRequest.index(
                index, document.id(), document.json().getBytes(StandardCharsets.UTF_8));
    }
}
