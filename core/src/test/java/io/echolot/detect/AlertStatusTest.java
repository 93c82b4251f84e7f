package io.echolot.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.alert.AlertState;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AlertStatusTest {

    @Test
    void everyStatusIsTheAlertStateOfTheSameName() {
        for (AlertStatus s : AlertStatus.values()) {
            assertThat(s.toAlertState().name()).isEqualTo(s.name());
        }
    }

    @Test
    void everyAlertStateHasAStatus() {
        assertThat(Arrays.stream(AlertStatus.values()).map(AlertStatus::toAlertState))
                .containsExactly(AlertState.values());
    }
}
