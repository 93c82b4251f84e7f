package io.echolot.alert;

import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Alert counters per alert type: {@code alertsOpened}, {@code alertsUpdated} and {@code
 * alertsResolved} in a metric group {@code alert_type=<wire name>} under the operator, so that a
 * metrics backend can tell a burst of adverse events from a viral spike (Prometheus: the label
 * {@code alert_type}). Every type is registered when the operator opens, so a type that has not
 * fired yet reports 0 instead of being missing.
 */
public final class AlertCounters {

    /** The name of the metric group (and Prometheus label) that holds the alert type. */
    public static final String TYPE_GROUP = "alert_type";

    private final Map<AlertType, Counter> opened = new EnumMap<>(AlertType.class);
    private final Map<AlertType, Counter> updated = new EnumMap<>(AlertType.class);
    private final Map<AlertType, Counter> resolved = new EnumMap<>(AlertType.class);

    private AlertCounters(MetricGroup operatorGroup) {
        for (AlertType type : AlertType.values()) {
            MetricGroup group = operatorGroup.addGroup(TYPE_GROUP, type.wireName());
            opened.put(type, group.counter("alertsOpened"));
            updated.put(type, group.counter("alertsUpdated"));
            resolved.put(type, group.counter("alertsResolved"));
        }
    }

    /** Registers the counters of every alert type under an operator's metric group. */
    public static AlertCounters register(MetricGroup operatorGroup) {
        return new AlertCounters(operatorGroup);
    }

    /** Counts the first state of an alert, or a later one, by its state. */
    public void count(Alert alert) {
        switch (alert.state()) {
            case OPEN -> opened.get(alert.type()).inc();
            case UPDATED -> updated.get(alert.type()).inc();
            case RESOLVED -> resolved.get(alert.type()).inc();
        }
    }
}
