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
                        "{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        DeliverySerializer s = new DeliverySerializer();

        Delivery back = s.deserialize(s.getVersion(), s.serialize(d));

        assertThat(back.endpoint()).isEqualTo(d.endpoint());
        assertThat(back.alertId()).isEqualTo(d.alertId());
        assertThat(back.version()).isEqualTo(3);
        assertThat(back.emittedAtMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(back.attempts()).isEqualTo(2);
        assertThat(back.body()).isEqualTo(d.body());
        assertThat(back.alertJson()).isEqualTo(d.alertJson());
        // printf 'negative_burst|strider|all|2026:3' | sha256sum
        assertThat(back.idempotencyKey())
                .isEqualTo("05f57db2d9189b9e4e4315238d546b58c9cebf512594ccf177b503834bba7493");
    }

    @Test
    void refusesAnUnknownStateVersion() {
        assertThatThrownBy(() -> new DeliverySerializer().deserialize(99, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 99");
    }
}
