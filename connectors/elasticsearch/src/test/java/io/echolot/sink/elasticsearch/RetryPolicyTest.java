package io.echolot.sink.elasticsearch;

import static io.echolot.sink.elasticsearch.RetryPolicy.ItemDecision.DEAD_LETTER;
import static io.echolot.sink.elasticsearch.RetryPolicy.ItemDecision.FAIL;
import static io.echolot.sink.elasticsearch.RetryPolicy.ItemDecision.RETRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.elasticsearch.client.TestResponses.responseException;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class RetryPolicyTest {

    private final RetryPolicy policy =
            new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2));

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 502, 503, 504})
    void retriesTransientItemStatusesWithoutALimit(int status) {
        assertThat(RetryPolicy.classifyItem(status, "es_rejected_execution_exception"))
                .isEqualTo(RETRY);
        assertThat(RetryPolicy.classifyItem(status, null)).isEqualTo(RETRY);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 403, 503})
    void retriesItemsRefusedByAWriteBlock(int status) {
        // 429: read_only_allow_delete (flood-stage watermark); 403: index.blocks.write/read_only
        assertThat(RetryPolicy.classifyItem(status, "cluster_block_exception")).isEqualTo(RETRY);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 409, 413})
    void deadLettersItemsRefusedForTheirContent(int status) {
        assertThat(RetryPolicy.classifyItem(status, "document_parsing_exception"))
                .isEqualTo(DEAD_LETTER);
    }

    @Test
    void failsOnItemsRefusedForTheCredentials() {
        assertThat(RetryPolicy.classifyItem(403, "security_exception")).isEqualTo(FAIL);
        assertThat(RetryPolicy.classifyItem(401, "security_exception")).isEqualTo(FAIL);
    }

    @Test
    void retriesARequestRefusedByAClusterBlock() {
        ElasticsearchException blocked =
                new ElasticsearchException(
                        "bulk",
                        ErrorResponse.of(
                                r ->
                                        r.status(403)
                                                .error(
                                                        e ->
                                                                e.type("cluster_block_exception")
                                                                        .reason(
                                                                                "blocked by:"
                                                                                        + " [FORBIDDEN/6/cluster"
                                                                                        + " read-only (api)];"))));
        assertThat(RetryPolicy.classifyRequestFailure(new CompletionException(blocked)).decision())
                .isEqualTo(RetryPolicy.RequestDecision.RETRY);
    }

    @Test
    void backoffGrowsExponentiallyAndIsCapped() {
        // random 0.999.. gives the top of the jitter range, 0 the bottom (half)
        assertThat(policy.backoffMillis(1, 0.9999)).isBetween(99L, 100L);
        assertThat(policy.backoffMillis(2, 0.9999)).isBetween(199L, 200L);
        assertThat(policy.backoffMillis(3, 0.9999)).isBetween(399L, 400L);
        assertThat(policy.backoffMillis(1, 0.0)).isEqualTo(50L);
        assertThat(policy.backoffMillis(10, 0.9999)).isBetween(1999L, 2000L);
        assertThat(policy.backoffMillis(1_000, 0.0)).isEqualTo(1000L);
    }

    @Test
    void failsTheJobWithAClearMessageOn401() {
        RetryPolicy.RequestFailure failure =
                RetryPolicy.classifyRequestFailure(new CompletionException(responseException(401)));
        assertThat(failure.decision()).isEqualTo(RetryPolicy.RequestDecision.FAIL);
        assertThat(failure.message())
                .isEqualTo(
                        "Elasticsearch rejected the credentials (401) — check --es-username /"
                                + " ECHOLOT_ES_PASSWORD / API key");
    }

    @Test
    void failsTheJobOn403AndOnRequestLevel4xxThatPointAtTheSetup() {
        assertThat(RetryPolicy.classifyRequestFailure(responseException(403)).message())
                .startsWith("Elasticsearch denied access (403)");
        for (int status : new int[] {403, 404, 405, 406}) {
            RetryPolicy.RequestFailure failure =
                    RetryPolicy.classifyRequestFailure(responseException(status));
            assertThat(failure.decision())
                    .as("status %d", status)
                    .isEqualTo(RetryPolicy.RequestDecision.FAIL);
            assertThat(failure.status()).isEqualTo(status);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 413, 422})
    void splitsABulkThatWasRefusedForWhatItCarries(int status) {
        RetryPolicy.RequestFailure failure =
                RetryPolicy.classifyRequestFailure(
                        new CompletionException(responseException(status)));
        assertThat(failure.decision()).isEqualTo(RetryPolicy.RequestDecision.SPLIT);
        assertThat(failure.status()).isEqualTo(status);
        assertThat(failure.message())
                .startsWith("Elasticsearch refused the bulk request with status " + status);
    }

    @Test
    void retriesRequestsThatGotNoAnswerOrATransientStatus() {
        assertThat(RetryPolicy.classifyRequestFailure(new ConnectException("refused")).decision())
                .isEqualTo(RetryPolicy.RequestDecision.RETRY);
        assertThat(
                        RetryPolicy.classifyRequestFailure(
                                        new CompletionException(new SocketTimeoutException()))
                                .decision())
                .isEqualTo(RetryPolicy.RequestDecision.RETRY);
        assertThat(RetryPolicy.classifyRequestFailure(responseException(503)).decision())
                .isEqualTo(RetryPolicy.RequestDecision.RETRY);
        assertThat(RetryPolicy.classifyRequestFailure(responseException(429)).decision())
                .isEqualTo(RetryPolicy.RequestDecision.RETRY);
        assertThat(RetryPolicy.classifyRequestFailure(responseException(408)).decision())
                .isEqualTo(RetryPolicy.RequestDecision.RETRY);
    }

    @Test
    void readsTheStatusOfTheJavaClientsDecodedErrors() {
        ElasticsearchException unauthorized =
                new ElasticsearchException(
                        "bulk",
                        ErrorResponse.of(
                                r ->
                                        r.status(401)
                                                .error(
                                                        e ->
                                                                e.type("security_exception")
                                                                        .reason(
                                                                                "unable to authenticate"))));
        assertThat(RetryPolicy.classifyRequestFailure(new CompletionException(unauthorized)))
                .isEqualTo(
                        new RetryPolicy.RequestFailure(
                                RetryPolicy.RequestDecision.FAIL,
                                401,
                                RetryPolicy.CREDENTIALS_REJECTED));
    }

    @Test
    void failsTheJobWhenTheServersCertificateIsNotTrusted() {
        SSLHandshakeException unknownCa =
                new SSLHandshakeException(
                        "PKIX path building failed: unable to find valid"
                                + " certification path to requested target");
        unknownCa.initCause(new CertificateException("PKIX path building failed"));
        SSLPeerUnverifiedException wrongHost =
                new SSLPeerUnverifiedException(
                        "Host name 'es.example' does not match the certificate subject");

        for (Exception e : List.of(new CompletionException(unknownCa), wrongHost)) {
            RetryPolicy.RequestFailure failure = RetryPolicy.classifyRequestFailure(e);
            assertThat(failure.decision()).isEqualTo(RetryPolicy.RequestDecision.FAIL);
            assertThat(failure.message()).startsWith(RetryPolicy.UNTRUSTED_CERTIFICATE + ": ");
        }
    }

    @Test
    void retriesAHandshakeCutShortAsTheServerMayBeRestarting() {
        SSLHandshakeException cut =
                new SSLHandshakeException("Remote host terminated the handshake");
        cut.initCause(new EOFException("SSL peer shut down incorrectly"));

        assertThat(RetryPolicy.classifyRequestFailure(cut).decision())
                .isEqualTo(RetryPolicy.RequestDecision.RETRY);
    }

    @Test
    void failsOnUnexpectedNonIoErrors() {
        assertThat(
                        RetryPolicy.classifyRequestFailure(
                                        new IllegalStateException("reactor stopped"))
                                .decision())
                .isEqualTo(RetryPolicy.RequestDecision.FAIL);
    }
}
