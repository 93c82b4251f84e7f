package io.echolot.sink.elasticsearch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.transport.TransportException;
import io.echolot.sink.base.Backoff;
import java.io.IOException;
import java.io.Serializable;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.elasticsearch.client.ResponseException;

/**
 * Decides what happens to a failed bulk item or a failed bulk request, and how long to wait before
 * sending again. Pure functions, so the rules are unit-tested without a server.
 *
 * <p>Items: 429, 5xx and cluster blocks (an index turned read-only at the flood-stage disk
 * watermark, 429, or by {@code index.blocks.write} / {@code read_only}, 403) say "not now": they
 * are retried with back-off for as long as it takes, never dead-lettered, because the document
 * itself is fine. Only what Elasticsearch refuses for the document's content (mapping, validation,
 * parse errors: 400 and the other 4xx) is dead-lettered at once; an item refused for the
 * credentials' sake (401, 403 {@code security_exception}) fails the job like a refused request.
 * Whole requests:
 *
 * <ul>
 *   <li>no answer (refused connection, timeout, reset), 408, 429, 5xx and cluster blocks are
 *       retried without limit: nothing is dropped while Elasticsearch is away, overloaded or
 *       read-only;
 *   <li>400, 413 and 422 refuse what was sent (an id too long, a malformed upsert, a bulk over
 *       {@code http.max_content_length}): the batch is split and sent again until the one document
 *       refused on its own is dead-lettered, so one bad document never fails the job;
 *   <li>401, 403 and every other status (404 wrong path, 405/406 wrong server or proxy) need a
 *       person to fix the setup: they fail the job with a message that says what to check;
 *   <li>so does a server certificate the client does not trust (an unknown CA, a host name the
 *       certificate does not name, an expired certificate): the handshake would fail the same way
 *       on every retry.
 * </ul>
 */
public final class RetryPolicy implements Serializable {

    private static final long serialVersionUID = 1L;

    static final String CREDENTIALS_REJECTED =
            "Elasticsearch rejected the credentials (401) — check --es-username /"
                    + " ECHOLOT_ES_PASSWORD / API key";
    static final String ACCESS_DENIED =
            "Elasticsearch denied access (403) — the user or API key lacks privileges to write"
                    + " these indices or install index templates";

    static final String UNTRUSTED_CERTIFICATE =
            "Elasticsearch's TLS certificate is not trusted — check --es-ca-cert (the PEM of the"
                    + " CA that signed it) and that the host in --es-hosts is named in the"
                    + " certificate";

    /** Elasticsearch's error type for a write refused by an index or cluster block. */
    static final String CLUSTER_BLOCK = "cluster_block_exception";

    /** The outcome for one bulk item that came back with an error. */
    public enum ItemDecision {
        /** Send the document again after a backoff, however often it takes. */
        RETRY,
        /** Elasticsearch refuses the document itself: dead-letter it. */
        DEAD_LETTER,
        /** A setup problem (credentials, privileges): fail the job. */
        FAIL
    }

    /** The outcome for a bulk request that failed as a whole. */
    public enum RequestDecision {
        /** Send the same documents again after a backoff. */
        RETRY,
        /** Something in the documents was refused: send each half on its own. */
        SPLIT,
        /** A setup problem: fail the job. */
        FAIL
    }

    /** A classified request failure: the decision, the HTTP status if any, and a message. */
    public record RequestFailure(RequestDecision decision, int status, String message) {}

    private final Backoff backoff;

    public RetryPolicy(Duration initialBackoff, Duration maxBackoff) {
        this.backoff = new Backoff(initialBackoff, maxBackoff);
    }

    public Duration maxBackoff() {
        return backoff.max();
    }

    /** Whether the status means "try again later" rather than "this will never work". */
    public static boolean isTransient(int status) {
        return Backoff.isTransient(status);
    }

    /**
     * Decides for one item whose bulk response carried an error. There is no attempt limit: a
     * document Elasticsearch cannot take now is held (and the writer back-pressures) until it can.
     *
     * @param status the item's HTTP status
     * @param errorType the item's {@code error.type}, may be null
     */
    public static ItemDecision classifyItem(int status, String errorType) {
        if (isTransient(status) || CLUSTER_BLOCK.equals(errorType)) {
            return ItemDecision.RETRY;
        }
        if (status == 401 || (status == 403 && "security_exception".equals(errorType))) {
            return ItemDecision.FAIL;
        }
        return ItemDecision.DEAD_LETTER;
    }

    /** The wait before retry number {@code retry} (1-based), see {@link Backoff#millis}. */
    public long backoffMillis(int retry, double random) {
        return backoff.millis(retry, random);
    }

    /** Classifies an exception that failed a whole bulk request. */
    public static RequestFailure classifyRequestFailure(Throwable error) {
        Throwable cause = unwrap(error);
        int status = statusOf(cause);
        if (status == 401) {
            return new RequestFailure(RequestDecision.FAIL, status, CREDENTIALS_REJECTED);
        }
        if (isClusterBlock(cause)) {
            // e.g. a cluster-wide read-only block (403): an operator lifts it, nothing to drop
            return new RequestFailure(RequestDecision.RETRY, status, describe(cause));
        }
        if (status == 403) {
            return new RequestFailure(
                    RequestDecision.FAIL, status, ACCESS_DENIED + ": " + describe(cause));
        }
        if (isRefusedContent(status)) {
            return new RequestFailure(
                    RequestDecision.SPLIT,
                    status,
                    "Elasticsearch refused the bulk request with status "
                            + status
                            + ": "
                            + describe(cause));
        }
        if (status > 0) {
            return isTransient(status) || status == 408
                    ? new RequestFailure(RequestDecision.RETRY, status, describe(cause))
                    : new RequestFailure(
                            RequestDecision.FAIL,
                            status,
                            "Elasticsearch rejected the bulk request with status "
                                    + status
                                    + ": "
                                    + describe(cause));
        }
        if (isUntrustedCertificate(cause)) {
            return new RequestFailure(
                    RequestDecision.FAIL, 0, UNTRUSTED_CERTIFICATE + ": " + describe(cause));
        }
        // no HTTP answer at all: refused connection, timeout, reset. Elasticsearch may come back.
        if (cause instanceof IOException) {
            return new RequestFailure(RequestDecision.RETRY, 0, describe(cause));
        }
        return new RequestFailure(
                RequestDecision.FAIL,
                0,
                "unexpected failure of an Elasticsearch bulk request: " + describe(cause));
    }

    /** Request statuses caused by what was sent rather than by the setup. */
    static boolean isRefusedContent(int status) {
        return status == 400 || status == 413 || status == 422;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * Whether the failure is Elasticsearch saying an index or the cluster is blocked for writes.
     */
    static boolean isClusterBlock(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ElasticsearchException) {
                ErrorCause cause = ((ElasticsearchException) t).error();
                if (cause != null && CLUSTER_BLOCK.equals(cause.type())) {
                    return true;
                }
            }
            // the low-level client's exception carries the response body in its message
            String message = t.getMessage();
            if (message != null && message.contains("\"type\":\"" + CLUSTER_BLOCK + "\"")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * Whether the TLS handshake refused the server's certificate. A handshake cut short (the server
     * restarting) carries no certificate error and stays retriable.
     */
    static boolean isUntrustedCertificate(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof CertificateException
                    || t instanceof CertPathBuilderException
                    || t instanceof CertPathValidatorException
                    || t instanceof SSLPeerUnverifiedException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The HTTP status carried by the client's exceptions, or 0 when there was no response. */
    static int statusOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ElasticsearchException) {
                return ((ElasticsearchException) t).status();
            }
            if (t instanceof TransportException && ((TransportException) t).statusCode() > 0) {
                return ((TransportException) t).statusCode();
            }
            if (t instanceof ResponseException) {
                return ((ResponseException) t).getResponse().getStatusLine().getStatusCode();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return 0;
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public String toString() {
        return "RetryPolicy{retries=unlimited, " + backoff + "}";
    }
}
