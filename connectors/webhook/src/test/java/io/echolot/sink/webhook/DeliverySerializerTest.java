package io.echolot.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeliverySerializerTest {

    @Test
    void roundTripsEveryField() throws Exception {
        Delivery d =
                new Delivery(
                        "ops-json",
                        "negative_burst|strider|all|2026",
                        3,
                        1_700_000_000_123L,
                        2,
                        "{\"text\":\"Häufung\"}".getBytes(StandardCharsets.UTF_8),
                        "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                        1_700_000_000_456L);
        DeliverySerializer s = new DeliverySerializer();

        Delivery back = s.deserialize(s.getVersion(), s.serialize(d));

        assertThat(back.endpoint()).isEqualTo(d.endpoint());
        assertThat(back.alertId()).isEqualTo(d.alertId());
        assertThat(back.version()).isEqualTo(3);
        assertThat(back.emittedAtMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(back.attempts()).isEqualTo(2);
        assertThat(back.body()).isEqualTo(d.body());
        assertThat(back.alertJson()).isEqualTo(d.alertJson());
        assertThat(back.firstAttemptMillis()).isEqualTo(1_700_000_000_456L);
        // printf 'negative_burst|strider|all|2026:3' | sha256sum
        assertThat(back.idempotencyKey())
                .isEqualTo("05f57db2d9189b9e4e4315238d546b58c9cebf512594ccf177b503834bba7493");
    }

    @Test
    void readsVersionOneStateWithTheEmittedAtTimeAsTheFirstAttempt() throws Exception {
        Delivery sent =
                new Delivery("e", "a", 2, 1_000L, 3, new byte[] {1}, new byte[] {2}, 5_000L);
        Delivery unsent = new Delivery("e", "b", 1, 2_000L, 0, new byte[] {1}, new byte[] {2});
        DeliverySerializer s = new DeliverySerializer();

        // version 1 is version 2 without the trailing first-attempt time
        Delivery back = s.deserialize(1, withoutLastLong(s.serialize(sent)));
        Delivery backUnsent = s.deserialize(1, withoutLastLong(s.serialize(unsent)));

        assertThat(back.attempts()).isEqualTo(3);
        assertThat(back.firstAttemptMillis()).isEqualTo(1_000L);
        assertThat(backUnsent.firstAttemptMillis()).isZero();
    }

    private static byte[] withoutLastLong(byte[] b) {
        return java.util.Arrays.copyOf(b, b.length - Long.BYTES);
    }

    @Test
    void refusesAnUnknownStateVersion() {
        assertThatThrownBy(() -> new DeliverySerializer().deserialize(99, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 99");
    }
}
