package io.echolot.index;

import io.echolot.alert.Alert;
import io.echolot.alert.AlertJson;

/**
 * An alert state as a document of the alerts index of the month it opened, with the alert id as
 * {@code _id} and the state's version as the external document version: the latest state of an
 * alert overwrites the earlier ones, and an earlier state written late (after a retry) does not
 * overwrite a later one.
 */
public final class AlertDocuments implements DocumentConverter<Alert> {

    private static final long serialVersionUID = 1L;

    @Override
    public DocumentRequest convert(Alert a) {
        return DocumentRequest.indexVersioned(
                IndexNames.alertIndex(a.openedAt()), a.id(), AlertJson.toBytes(a), a.version());
    }
}
