package io.echolot.index;

import io.echolot.json.MentionJson;
import io.echolot.model.Mention;

/** A mention as a document of the day's mentions index, with the mention id as {@code _id}. */
public final class MentionDocuments implements DocumentConverter<Mention> {

    private static final long serialVersionUID = 1L;

    @Override
    public DocumentRequest convert(Mention m) {
        return DocumentRequest.index(IndexNames.mentionIndex(m), m.id(), MentionJson.toDocument(m));
    }
}
