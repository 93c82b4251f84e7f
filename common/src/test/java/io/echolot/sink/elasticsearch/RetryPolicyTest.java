package io.echolot.sink.elasticsearch;

import static io.echolot.sink.elasticsearch.RetryPolicy.ItemDecision.DEAD_LETTER_PERMANENT;
import static io.echolot.sink.elasticsearch.RetryPolicy.ItemDecision.DEAD_LETTER_RETRIES_EXHAUSTED;
import static io.echolot.sink.elasticsearch.RetryPolicy.ItemDecision.RETRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.elasticsearch.client.TestResponses.responseException;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class RetryPolicyTest {

    private final RetryPolicy policy =
            new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2));

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 502, 503, 504})
    void retriesTransientItemStatusesWhileAttemptsRemain(int status) {
        assertThat(policy.classifyItem(status, 0)).isEqualTo(RETRY);
        assertThat(policy.classifyItem(status, 2)).isEqualTo(RETRY);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 503})
    void deadLettersTransientStatusesOnceTheRetryBudgetIsUsed(int status) {
        assertThat(policy.classifyItem(status, 3)).isEqualTo(DEAD_LETTER_RETRIES_EXHAUSTED);
        assertThat(policy.classifyItem(status, 7)).isEqualTo(DEAD_LETTER_RETRIES_EXHAUSTED);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 409, 413})
    void neverRetriesPermanentItemErrors(int status) {
        assertThat(policy.classifyItem(status, 0)).isEqualTo(DEAD_LETTER_PERMANENT);
    }

    @Test
    void zeroRetriesDeadLettersTheFirst429() {
        RetryPolicy none = new RetryPolicy(0, Duration.ofMillis(10), Duration.ofMillis(10));
        assertThat(none.classifyItem(429, 0)).isEqualTo(DEAD_LETTER_RETRIES_EXHAUSTED);
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
    void failsOnUnexpectedNonIoErrors() {
        assertThat(
                        RetryPolicy.classifyRequestFailure(
                                        new IllegalStateException("reactor stopped"))
                                .decision())
                .isEqualTo(RetryPolicy.RequestDecision.FAIL);
    }
}
