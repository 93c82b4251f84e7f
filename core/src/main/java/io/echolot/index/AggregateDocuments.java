package io.echolot.index;

import io.echolot.json.AggregateJson;
import io.echolot.model.WindowAggregate;

/**
 * A window aggregate as a document with id brand|topic|window_start|window_end, so a late firing or
 * a replay overwrites the earlier result of the same window.
 */
public final class AggregateDocuments implements DocumentConverter<WindowAggregate> {

    private static final long serialVersionUID = 1L;

    @Override
    public DocumentRequest convert(WindowAggregate a) {
        return DocumentRequest.index(
                IndexNames.aggregateIndex(a),
                IndexNames.aggregateId(a),
                AggregateJson.toDocument(a));
    }
}
