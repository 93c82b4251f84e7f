package io.echolot.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Request header values of a delivery: ASCII and stable whatever the alert id carries. */
class DeliveryTest {

    private static final String HOSTILE = "adverse-😡線€-m-1";

    @Test
    void idempotencyKeyIsTheSha256OfIdAndVersionInHex() {
        // printf 'adverse-😡線€-m-1:1' | sha256sum
        assertThat(Delivery.idempotencyKey(HOSTILE, 1))
                .isEqualTo("2db166c95bc6dbeba367c7c1e976910d39eeb7aed51a1f051ff3f369e52d229c");
        // printf 'a-400:2' | sha256sum
        assertThat(Delivery.idempotencyKey("a-400", 2))
                .isEqualTo("04bbc92ff45d0f04c36cde7ecb4a8602e396e274b83f3915551a55ef3a2658c1");
        assertThat(Delivery.idempotencyKey(HOSTILE, 2))
                .isNotEqualTo(Delivery.idempotencyKey(HOSTILE, 1));
        // an id ending in ":1" with version 2 is not the id with version 1
        assertThat(Delivery.idempotencyKey("a:1", 2))
                .isNotEqualTo(Delivery.idempotencyKey("a", 12));
    }

    @Test
    void idempotencyKeyCountsAnUnpairedSurrogateAsReplacementCharacter() {
        // printf 'x\xef\xbf\xbd:1' | sha256sum
        assertThat(Delivery.idempotencyKey("x\uD800", 1))
                .isEqualTo("2be3570a4b1268cc498a9b0ed710e9c296735dde7615e9149f6c98205996a84d")
                .isEqualTo(Delivery.idempotencyKey("x\uFFFD", 1));
        assertThat(Delivery.idempotencyKey(null, 1)).isEqualTo(Delivery.idempotencyKey("", 1));
    }

    @Test
    void alertIdHeaderIsPercentEncodedAsciiThatDecodesToTheId() {
        String id = HOSTILE + " 100% \r\nX-Injected: yes";
        String header = WebhookSinkWriter.alertIdHeader(id);

        assertThat(header)
                .isEqualTo(
                        "adverse-%F0%9F%98%A1%E7%B7%9A%E2%82%AC-m-1%20100%25%20%0D%0AX-Injected:%20yes");
        assertThat(header.chars()).allMatch(c -> c > 0x20 && c < 0x7F);
        assertThat(URLDecoder.decode(header, StandardCharsets.UTF_8)).isEqualTo(id);
        // ordinary ids are unchanged
        assertThat(WebhookSinkWriter.alertIdHeader("negative_burst|strider|all|2026:3"))
                .isEqualTo("negative_burst|strider|all|2026:3");
        // the JDK's client takes every value
        HttpRequest.newBuilder(URI.create("http://127.0.0.1/"))
                .header(WebhookSinkWriter.HEADER_ALERT_ID, header)
                .header(WebhookSinkWriter.HEADER_IDEMPOTENCY_KEY, Delivery.idempotencyKey(id, 1));
    }

    @Test
    void alertIdHeaderIsCutAfterWholeCharacters() {
        String header = WebhookSinkWriter.alertIdHeader("€".repeat(1000));
        assertThat(header.length()).isLessThanOrEqualTo(WebhookSinkWriter.MAX_ALERT_ID_HEADER);
        assertThat(header).matches("(%E2%82%AC)+");
        assertThat(WebhookSinkWriter.alertIdHeader("x\uDC00")).isEqualTo("x%EF%BF%BD");
        assertThat(WebhookSinkWriter.alertIdHeader(null)).isEmpty();
    }
}
