package io.echolot.sink.elasticsearch;

/** A stream element for the sink tests: the document id and its JSON, exactly as sent. */
public record SinkTestDocument(String id, String json) {

    /** A document that fits the strict test template. */
    public static SinkTestDocument valid(String id, long count) {
        return new SinkTestDocument(id, "{\"name\":\"" + id + "\",\"count\":" + count + "}");
    }
}
