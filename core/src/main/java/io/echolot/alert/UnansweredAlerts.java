package io.echolot.alert;

import io.echolot.care.CareEvent;
import io.echolot.care.CareOutcome;
import io.echolot.model.TopMention;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The {@link AlertType#UNANSWERED} alert of one conversation of one brand (keyed by brand and
 * conversation): the first overdue item opens it (id {@code unanswered|brand|conversation}, so a
 * replay overwrites instead of duplicating), further overdue items update it, and the first brand
 * reply after the overdue items resolves it, recording when it came and how late (from the earliest
 * due time). The answered items go to {@link #ANSWERED_LATE} for the response-time figures. A
 * conversation unanswered again later (a follow-up the brand leaves waiting) reopens the same alert
 * with its next version, also after the conversation's state expired (the last version is kept
 * {@link #VERSION_MEMORY}); an alert still open when that state expires stays open.
 *
 * <p>Replies come straight from the classifier while overdue items wait for the watermark in CEP,
 * so a late reply often arrives first: reply times are kept (the latest {@value #MAX_REPLIES}) and
 * an overdue item that already has a reply after it opens and resolves at once. State is dropped
 * {@code retention} (event time) after the last activity of the conversation; an alert still open
 * then stays open. Metrics: {@code unansweredOpened}, {@code unansweredResolved}.
 */
public class UnansweredAlerts
        extends KeyedCoProcessFunction<String, CareOutcome, CareEvent, Alert> {

    private static final long serialVersionUID = 1L;

    /** Items answered after their SLA ran out. */
    public static final OutputTag<CareOutcome> ANSWERED_LATE =
            new OutputTag<>("care-answered-late") {
                private static final long serialVersionUID = 1L;
            };

    static final int MAX_REPLIES = 64;

    /**
     * How long (processing time) the last version of a conversation's alert is remembered after its
     * last state, beyond the conversation's own state.
     */
    static final Duration VERSION_MEMORY = Duration.ofDays(90);

    private final long retentionMillis;

    private transient ValueState<Alert> alert;
    private transient ValueState<List<CareEvent>> overdue;
    private transient ValueState<List<Long>> replies;
    private transient ValueState<Long> cleanupAt;
    private transient ValueState<Integer> lastVersion;
    private transient Counter opened;
    private transient Counter resolved;

    public UnansweredAlerts(Duration retention) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("care state retention must be positive");
        }
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        alert = getRuntimeContext().getState(new ValueStateDescriptor<>("alert", Alert.class));
        overdue =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "overdue",
                                        TypeInformation.of(new TypeHint<List<CareEvent>>() {})));
        replies =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        "replies",
                                        TypeInformation.of(new TypeHint<List<Long>>() {})));
        cleanupAt =
                getRuntimeContext().getState(new ValueStateDescriptor<>("cleanup-at", Long.class));
        // outlives the conversation's state: a conversation that waits again after its state
        // expired must still continue its versions (a lower one would be refused as superseded)
        ValueStateDescriptor<Integer> versions =
                new ValueStateDescriptor<>("last-version", Integer.class);
        versions.enableTimeToLive(
                StateTtlConfig.newBuilder(VERSION_MEMORY)
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .cleanupIncrementally(10, true)
                        .build());
        lastVersion = getRuntimeContext().getState(versions);
        opened = getRuntimeContext().getMetricGroup().counter("unansweredOpened");
        resolved = getRuntimeContext().getMetricGroup().counter("unansweredResolved");
    }

    @Override
    public void processElement1(CareOutcome o, Context ctx, Collector<Alert> out) throws Exception {
        CareEvent item = o.item();
        List<CareEvent> items = new ArrayList<>(orEmpty(overdue.value()));
        items.add(item);
        overdue.update(items);
        Alert current = alert.value();
        Alert next;
        if (current == null) {
            // unanswered again after a resolution: the same alert reopens with its next version,
            // so Elasticsearch (external versions) and the webhook receivers take the new state
            Integer last = lastVersion.value();
            next = build(last == null ? 1 : last + 1, AlertState.OPEN, items, null);
            opened.inc();
        } else {
            next = build(current.version() + 1, AlertState.UPDATED, items, current);
        }
        alert.update(next);
        lastVersion.update(next.version());
        out.collect(next);
        keepUntil(ctx, item.dueAt());
        Long reply = firstReplyAfter(orEmpty(replies.value()), item.at());
        if (reply != null) {
            answer(reply, ctx, out);
        }
    }

    @Override
    public void processElement2(CareEvent reply, Context ctx, Collector<Alert> out)
            throws Exception {
        List<Long> times = new ArrayList<>(orEmpty(replies.value()));
        times.add(reply.at());
        Collections.sort(times);
        if (times.size() > MAX_REPLIES) {
            times = new ArrayList<>(times.subList(times.size() - MAX_REPLIES, times.size()));
        }
        replies.update(times);
        keepUntil(ctx, reply.at());
        if (alert.value() != null) {
            answer(reply.at(), ctx, out);
        }
    }

    /** A reply at {@code replyAt} answers the overdue items before it; all answered resolves. */
    private void answer(long replyAt, Context ctx, Collector<Alert> out) throws Exception {
        List<CareEvent> waiting = new ArrayList<>();
        for (CareEvent item : orEmpty(overdue.value())) {
            if (item.at() <= replyAt) {
                ctx.output(
                        ANSWERED_LATE,
                        new CareOutcome(CareOutcome.Kind.ANSWERED_LATE, item, replyAt));
            } else {
                waiting.add(item);
            }
        }
        if (!waiting.isEmpty()) {
            overdue.update(waiting);
            return;
        }
        Alert current = alert.value();
        long due = current.care().dueAt().toEpochMilli();
        Instant at = Instant.ofEpochMilli(Math.max(replyAt, due));
        Alert done =
                current.toBuilder()
                        .version(current.version() + 1)
                        .state(AlertState.RESOLVED)
                        .updatedAt(at)
                        .resolvedAt(at)
                        .care(
                                new CareContext(
                                        current.care().conversation(),
                                        current.care().priority(),
                                        current.care().slaMillis(),
                                        current.care().dueAt(),
                                        current.care().reason(),
                                        current.care().customer(),
                                        Instant.ofEpochMilli(replyAt),
                                        Math.max(0, replyAt - due)))
                        .build();
        resolved.inc();
        out.collect(done);
        alert.clear();
        overdue.clear();
        lastVersion.update(done.version());
    }

    /**
     * The alert state for the overdue items: evidence and context from the first (the conversation
     * has been waiting since then), severity high when any of them is high priority.
     */
    private static Alert build(int version, AlertState state, List<CareEvent> items, Alert prev) {
        CareEvent first = items.get(0);
        boolean high = items.stream().anyMatch(CareEvent::highPriority);
        CareEvent context =
                items.stream().filter(i -> i.customer() != null).findFirst().orElse(first);
        Instant due = Instant.ofEpochMilli(first.dueAt());
        Instant updated =
                Instant.ofEpochMilli(
                        items.stream().mapToLong(CareEvent::dueAt).max().orElseThrow());
        List<TopMention> posts = new ArrayList<>();
        Map<String, Long> platforms = new TreeMap<>();
        for (CareEvent i : items) {
            if (posts.size() < 5) {
                posts.add(i.post());
            }
            platforms.merge(i.platform(), 1L, Long::sum);
        }
        String topic =
                first.topics().stream()
                        .sorted()
                        .findFirst()
                        .orElse(io.echolot.model.WindowAggregate.ALL_TOPICS);
        return Alert.builder()
                .id(
                        AlertType.UNANSWERED.wireName()
                                + '|'
                                + first.brand()
                                + '|'
                                + first.conversation())
                .version(version)
                .type(AlertType.UNANSWERED)
                .state(state)
                .severity(high ? Severity.HIGH : Severity.MEDIUM)
                .brand(first.brand())
                .topic(topic)
                .openedAt(prev == null ? due : prev.openedAt())
                .updatedAt(updated)
                // the conversation waits from its first item until that item's due time
                .evidence(
                        Evidence.of(Instant.ofEpochMilli(first.at()), due, items.size(), 0, 1)
                                .withMentions(posts, platforms))
                .care(
                        new CareContext(
                                first.conversation(),
                                high ? "high" : "normal",
                                first.slaMillis(),
                                due,
                                first.reason(),
                                context.customer(),
                                null,
                                -1))
                .build();
    }

    private static Long firstReplyAfter(List<Long> times, long at) {
        for (long t : times) {
            if (t >= at) {
                return t;
            }
        }
        return null;
    }

    private void keepUntil(Context ctx, long activity) throws Exception {
        long at = activity + retentionMillis;
        Long previous = cleanupAt.value();
        if (previous == null || at > previous) {
            if (previous != null) {
                ctx.timerService().deleteEventTimeTimer(previous);
            }
            ctx.timerService().registerEventTimeTimer(at);
            cleanupAt.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) {
        alert.clear();
        overdue.clear();
        replies.clear();
        cleanupAt.clear();
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
