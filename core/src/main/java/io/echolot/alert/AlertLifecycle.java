package io.echolot.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns detector signals into alerts with a lifecycle, keyed by {@link AlertSignal#alertKey()}: the
 * first signal opens an alert; later signals of the same incident update it only when the severity
 * escalates or the observation grows by half (new evidence), otherwise they just keep it open;
 * after {@code cooldown} without signals (event time) it is resolved. So one incident is one alert,
 * not one per window.
 *
 * <p>An alert never resolves before its detector's next report could arrive: at least one report
 * interval of its type past the last signal's window end. A detector that reports less often than
 * the cooldown (say 15-minute emerging-topic buckets under a 10-minute cooldown) would otherwise
 * have each bucket of an ongoing story resolve the alert and open another. Metrics: {@code
 * alertsOpened}, {@code alertsUpdated}, {@code alertsResolved}, and the same per alert type ({@link
 * AlertCounters}).
 */
public class AlertLifecycle extends KeyedProcessFunction<String, AlertSignal, Alert> {

    private static final long serialVersionUID = 1L;

    /** An observation this much above the last reported one counts as new evidence. */
    static final double NEW_EVIDENCE_GROWTH = 1.5;

    private final long cooldownMillis;

    /** Per type, how long an alert stays open at least after its last signal's window end. */
    private final EnumMap<AlertType, Long> holdMillis = new EnumMap<>(AlertType.class);

    private transient ValueState<Alert> current;
    private transient ValueState<Long> resolveAt;
    private transient Counter opened;
    private transient Counter updated;
    private transient Counter resolved;
    private transient AlertCounters byType;

    /**
     * @param cooldown an alert resolves after this long without a new signal
     */
    public AlertLifecycle(Duration cooldown) {
        this(cooldown, Map.of());
    }

    /**
     * @param cooldown an alert resolves after this long without a new signal
     * @param reportIntervals per alert type, the longest time between two reports of its detector
     *     about an ongoing incident (its window or bucket); an alert of that type stays open at
     *     least this long after its last signal's window end, whatever the cooldown
     */
    public AlertLifecycle(Duration cooldown, Map<AlertType, Duration> reportIntervals) {
        if (cooldown.isNegative() || cooldown.isZero()) {
            throw new IllegalArgumentException("alert cooldown must be positive, got " + cooldown);
        }
        this.cooldownMillis = cooldown.toMillis();
        reportIntervals.forEach(
                (type, interval) ->
                        holdMillis.put(type, Math.max(cooldownMillis, interval.toMillis())));
    }

    @Override
    public void open(OpenContext openContext) {
        current = getRuntimeContext().getState(new ValueStateDescriptor<>("alert", Alert.class));
        resolveAt =
                getRuntimeContext().getState(new ValueStateDescriptor<>("resolve-at", Long.class));
        opened = getRuntimeContext().getMetricGroup().counter("alertsOpened");
        updated = getRuntimeContext().getMetricGroup().counter("alertsUpdated");
        resolved = getRuntimeContext().getMetricGroup().counter("alertsResolved");
        byType = AlertCounters.register(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(AlertSignal s, Context ctx, Collector<Alert> out) throws Exception {
        Instant at = s.windowEnd();
        Alert alert = current.value();
        if (alert == null && !s.opens()) {
            return; // the incident was reported and has resolved: a continuation opens nothing
        }
        if (alert == null) {
            alert = fromSignal(alertId(s), 1, AlertState.OPEN, s.severity(), at, at, s);
            current.update(alert);
            opened.inc();
            byType.count(alert);
            out.collect(alert);
        } else if (s.severity().compareTo(alert.severity()) > 0
                || s.observed() >= alert.observed() * NEW_EVIDENCE_GROWTH) {
            Severity severity =
                    s.severity().compareTo(alert.severity()) > 0 ? s.severity() : alert.severity();
            alert =
                    fromSignal(
                            alert.id(),
                            alert.version() + 1,
                            AlertState.UPDATED,
                            severity,
                            alert.openedAt(),
                            at,
                            s);
            current.update(alert);
            updated.inc();
            byType.count(alert);
            out.collect(alert);
        }
        Long previous = resolveAt.value();
        long next = at.toEpochMilli() + holdMillis.getOrDefault(s.type(), cooldownMillis);
        if (previous == null || next > previous) {
            if (previous != null) {
                ctx.timerService().deleteEventTimeTimer(previous);
            }
            ctx.timerService().registerEventTimeTimer(next);
            resolveAt.update(next);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        Alert alert = current.value();
        if (alert != null) {
            Instant at = Instant.ofEpochMilli(timestamp);
            Alert resolvedAlert =
                    alert.toBuilder()
                            .version(alert.version() + 1)
                            .state(AlertState.RESOLVED)
                            .updatedAt(at)
                            .resolvedAt(at)
                            .build();
            out.collect(resolvedAlert);
            resolved.inc();
            byType.count(resolvedAlert);
        }
        current.clear();
        resolveAt.clear();
    }

    /** An alert state carrying the signal's evidence. */
    private static Alert fromSignal(
            String id,
            int version,
            AlertState state,
            Severity severity,
            Instant openedAt,
            Instant updatedAt,
            AlertSignal s) {
        return Alert.builder()
                .id(id)
                .version(version)
                .type(s.type())
                .state(state)
                .severity(severity)
                .brand(s.brand())
                .topic(s.topic())
                .openedAt(openedAt)
                .updatedAt(updatedAt)
                .evidence(s.evidence())
                .build();
    }

    /** type|brand|topic|start of the window that opened it: the same incident, the same id. */
    static String alertId(AlertSignal s) {
        return s.type().wireName() + '|' + s.brand() + '|' + s.topic() + '|' + s.windowStart();
    }
}
