package io.echolot.care;

import io.echolot.deadletter.RawRecord;

/**
 * One record of the customers topic, read: the author key and the customer record, or {@code record
 * == null} for a tombstone (the customer was deleted). {@code error} is set, and {@code source}
 * holds the original bytes, when the record could not be read; it then goes to the dead-letter
 * topic.
 */
public record CustomerUpdate(
        String authorKey, CustomerRecord record, String error, RawRecord source) {

    public boolean isDelete() {
        return error == null && record == null;
    }
}
