package io.echolot.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.alert.Alert;
import io.echolot.alert.AlertState;
import io.echolot.alert.AlertType;
import io.echolot.alert.Severity;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertFilterTest {

    private final Alert burst = WebhookTestAlerts.germanBurst("a", 1, AlertState.OPEN); // high
    private final Alert spike = WebhookTestAlerts.englishSpike("b", 1); // medium

    @Test
    void anyFilterLetsEveryAlertThrough() {
        assertThat(AlertFilter.ANY.matches(burst)).isTrue();
        assertThat(AlertFilter.ANY.matches(spike)).isTrue();
    }

    @Test
    void everyGivenSetMustContainTheAlertsValue() {
        AlertFilter strider = new AlertFilter(Set.of("strider"), Set.of(), Set.of(), null);
        assertThat(strider.matches(burst)).isTrue();
        assertThat(strider.matches(spike)).isFalse();

        AlertFilter pricing = new AlertFilter(Set.of(), Set.of("pricing"), Set.of(), null);
        assertThat(pricing.matches(spike)).isTrue();
        assertThat(pricing.matches(burst)).isFalse();

        AlertFilter bursts =
                new AlertFilter(Set.of(), Set.of(), Set.of(AlertType.NEGATIVE_BURST), null);
        assertThat(bursts.matches(burst)).isTrue();
        assertThat(bursts.matches(spike)).isFalse();

        AlertFilter both =
                new AlertFilter(Set.of("strider"), Set.of(), Set.of(AlertType.VIRAL_SPIKE), null);
        assertThat(both.matches(burst)).isFalse();
    }

    @Test
    void minimumSeverityIsInclusive() {
        assertThat(new AlertFilter(Set.of(), Set.of(), Set.of(), Severity.HIGH).matches(burst))
                .isTrue();
        assertThat(new AlertFilter(Set.of(), Set.of(), Set.of(), Severity.HIGH).matches(spike))
                .isFalse();
        assertThat(new AlertFilter(Set.of(), Set.of(), Set.of(), Severity.MEDIUM).matches(spike))
                .isTrue();
        assertThat(new AlertFilter(Set.of(), Set.of(), Set.of(), Severity.CRITICAL).matches(burst))
                .isFalse();
    }
}
