package org.elasticsearch.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.http.HttpHost;
import org.apache.http.HttpVersion;
import org.apache.http.message.BasicHttpResponse;
import org.apache.http.message.BasicRequestLine;
import org.apache.http.message.BasicStatusLine;

/** Builds the low-level client's exceptions for unit tests (its constructor is package-private). */
public final class TestResponses {

    private TestResponses() {}

    /** What the low-level client throws when a request to {@code /_bulk} gets {@code status}. */
    public static ResponseException responseException(int status) {
        Response response =
                new Response(
                        new BasicRequestLine("POST", "/_bulk", HttpVersion.HTTP_1_1),
                        new HttpHost("127.0.0.1", 9200),
                        new BasicHttpResponse(
                                new BasicStatusLine(HttpVersion.HTTP_1_1, status, "test")));
        try {
            return new ResponseException(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
