package io.echolot.sink.elasticsearch;

/** A stream element for the sink tests: the document id and its JSON, exactly as sent. */
public record SinkTestDocument(String id, String json) {

    /** A document that fits the strict test template. */
    public static SinkTestDocument valid(String id, long count) {
        return new SinkTestDocument(id, "{\"name\":\"" + id + "\",\"count\":" + count + "}");
    }

    /** The same document under the same id, with another name (plain text, no escaping). */
    public SinkTestDocument withName(String name) {
        return new SinkTestDocument(
                id, json.replace("\"name\":\"" + id + "\"", "\"name\":\"" + name + "\""));
    }
}
