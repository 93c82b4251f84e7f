package io.echolot.sink.elasticsearch;

/**
 * Fails the job when retrying cannot help (rejected credentials, missing privileges, a malformed
 * bulk request); the message says what to fix.
 */
public class ElasticsearchSinkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ElasticsearchSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
