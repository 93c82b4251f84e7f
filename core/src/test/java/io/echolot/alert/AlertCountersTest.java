package io.echolot.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class AlertCountersTest {

    /**
     * Records every counter under its group path, e.g. {@code alert_type=viral_spike/alertsOpened}.
     */
    private static final class RecordingGroup extends UnregisteredMetricsGroup {
        private final String path;
        private final Map<String, Counter> counters;

        RecordingGroup(String path, Map<String, Counter> counters) {
            this.path = path;
            this.counters = counters;
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            counters.put(path + name, counter);
            return counter;
        }

        @Override
        public Counter counter(String name) {
            return counter(name, new org.apache.flink.metrics.SimpleCounter());
        }

        @Override
        public MetricGroup addGroup(String key, String value) {
            return new RecordingGroup(path + key + "=" + value + "/", counters);
        }
    }

    private static Alert alert(AlertType type, AlertState state) {
        Instant t = Instant.parse("2026-11-23T10:00:00Z");
        return Alert.builder()
                .id("id")
                .version(1)
                .type(type)
                .state(state)
                .severity(Severity.HIGH)
                .brand("acme")
                .topic("all")
                .openedAt(t)
                .updatedAt(t)
                .windowStart(t)
                .windowEnd(t)
                .observed(3)
                .expected(1)
                .score(1)
                .topMentions(List.of())
                .platforms(Map.of())
                .build();
    }

    private static Map<String, Long> counts(Map<String, Counter> counters) {
        Map<String, Long> counts = new TreeMap<>();
        counters.forEach((name, c) -> counts.put(name, c.getCount()));
        return counts;
    }

    @Test
    void registersEveryTypeAtZeroAndCountsEachStateUnderItsType() {
        Map<String, Counter> counters = new TreeMap<>();
        AlertCounters byType = AlertCounters.register(new RecordingGroup("", counters));

        assertThat(counters).hasSize(3 * AlertType.values().length);
        assertThat(counts(counters).values()).containsOnly(0L);

        byType.count(alert(AlertType.NEGATIVE_BURST, AlertState.OPEN));
        byType.count(alert(AlertType.NEGATIVE_BURST, AlertState.UPDATED));
        byType.count(alert(AlertType.NEGATIVE_BURST, AlertState.RESOLVED));
        byType.count(alert(AlertType.ADVERSE_EVENT, AlertState.OPEN));
        byType.count(alert(AlertType.ADVERSE_EVENT, AlertState.OPEN));

        Map<String, Long> counts = counts(counters);
        assertThat(counts)
                .containsEntry("alert_type=negative_burst/alertsOpened", 1L)
                .containsEntry("alert_type=negative_burst/alertsUpdated", 1L)
                .containsEntry("alert_type=negative_burst/alertsResolved", 1L)
                .containsEntry("alert_type=adverse_event/alertsOpened", 2L)
                .containsEntry("alert_type=adverse_event/alertsResolved", 0L)
                .containsEntry("alert_type=viral_spike/alertsOpened", 0L);
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(5);
    }
}
