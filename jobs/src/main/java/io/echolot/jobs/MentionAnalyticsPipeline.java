package io.echolot.jobs;

import io.echolot.alert.Alert;
import io.echolot.alert.AlertKey;
import io.echolot.alert.AlertLifecycle;
import io.echolot.alert.AlertSignal;
import io.echolot.alert.AlertType;
import io.echolot.care.CareFigures;
import io.echolot.care.CustomerUpdate;
import io.echolot.deadletter.DeadLetter;
import io.echolot.detect.SpikeDetection;
import io.echolot.detect.SpikeSignals;
import io.echolot.detect.adverse.AdverseEventAlerts;
import io.echolot.detect.negative.NegativeBurstPattern;
import io.echolot.detect.negative.NegativeScore;
import io.echolot.detect.negative.NegativeScoreKey;
import io.echolot.detect.negative.NegativeShareBaseline;
import io.echolot.enrich.DeduplicateMentions;
import io.echolot.enrich.EnforceFanOutLimits;
import io.echolot.enrich.EnrichMentions;
import io.echolot.enrich.MentionIdKey;
import io.echolot.explain.EmergingTopics;
import io.echolot.explain.EmergingTopicsOperator;
import io.echolot.explain.ExplainSignals;
import io.echolot.explain.ExplainSignalsOperator;
import io.echolot.explain.RuleVocabulary;
import io.echolot.explain.SignalScopeKey;
import io.echolot.explain.WholeBrand;
import io.echolot.ingest.ParsedRecord;
import io.echolot.ingest.ParsedRecordTimestamps;
import io.echolot.ingest.SplitDeadLetters;
import io.echolot.model.Mention;
import io.echolot.model.WindowAggregate;
import io.echolot.rules.Brand;
import io.echolot.window.AggregateKey;
import io.echolot.window.BrandTopicKey;
import io.echolot.window.MentionStatistics;
import io.echolot.window.ResumeEventTime;
import io.echolot.window.ResumingWatermarks;
import io.echolot.window.ScopeByBrandAndTopic;
import io.echolot.window.ScopedMention;
import io.echolot.window.StampWindow;
import io.echolot.window.StayActive;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The mention analytics workflow, independent of where records come from and go to: split off dead
 * letters → set aside mentions older than the maximum event age → one per mention id → brands,
 * topics and language → refuse more brands or topics than the limits → index mentions → fan out to
 * (brand, topic) and (brand, all) → tumbling event-time windows → aggregates. Bad records and
 * mentions over the limits go to the dead-letter sink, late and too old ones to the late sink;
 * nothing is dropped silently.
 */
public final class MentionAnalyticsPipeline {

    /** Where the workflow writes; {@code webhooks} is optional (null: no webhook delivery). */
    public record Sinks(
            Sink<Mention> mentions,
            Sink<WindowAggregate> aggregates,
            Sink<DeadLetter> deadLetters,
            Sink<Mention> lateMentions,
            Sink<Alert> alerts,
            Sink<Alert> alertEvents,
            Sink<Alert> webhooks,
            Sink<CareFigures> care) {

        /**
         * Without webhook delivery and without the care figures (care alerts still go to the alert
         * sinks).
         */
        public Sinks(
                Sink<Mention> mentions,
                Sink<WindowAggregate> aggregates,
                Sink<DeadLetter> deadLetters,
                Sink<Mention> lateMentions,
                Sink<Alert> alerts,
                Sink<Alert> alertEvents) {
            this(mentions, aggregates, deadLetters, lateMentions, alerts, alertEvents, null, null);
        }
    }

    static final OutputTag<ScopedMention> LATE =
            new OutputTag<>("late-mentions") {
                private static final long serialVersionUID = 1L;
            };

    private MentionAnalyticsPipeline() {}

    /**
     * Timestamps and watermarks of parsed records, applied in the Kafka source so that they are
     * generated per partition: bounded out-of-orderness on {@code created_at}, with idleness; after
     * an idle spell event time waits a moment for every parallel path (see {@link
     * ResumingWatermarks}).
     */
    public static WatermarkStrategy<ParsedRecord> watermarks(PipelineSettings settings) {
        return ResumingWatermarks.<ParsedRecord>strategy(
                        settings.outOfOrderness(), settings.idleness())
                .withTimestampAssigner(new ParsedRecordTimestamps());
    }

    /** Wires the workflow onto {@code parsed}, which carries {@link #watermarks} already. */
    public static void defineWorkflow(
            DataStream<ParsedRecord> parsed, Sinks sinks, PipelineSettings settings) {
        defineWorkflow(parsed, null, sinks, settings, CareSettings.defaults());
    }

    /**
     * Wires the workflow, with customer care when there are rules.
     *
     * @param customers the customers (CRM) topic, or null to run care without CRM context
     */
    public static void defineWorkflow(
            DataStream<ParsedRecord> parsed,
            DataStream<CustomerUpdate> customers,
            Sinks sinks,
            PipelineSettings settings,
            CareSettings care) {
        enableObjectReuse(parsed);
        SingleOutputStreamOperator<Mention> mentions =
                parsed
                        // after a restore, event time resumes where the checkpoint left it
                        .transform(
                                "resume-event-time",
                                parsed.getType(),
                                new ResumeEventTime<ParsedRecord>())
                        .uid(OperatorIds.RESUME_EVENT_TIME)
                        .name("resume-event-time")
                        .process(new SplitDeadLetters())
                        .uid(OperatorIds.SPLIT_DEAD_LETTERS)
                        .name("split-dead-letters");
        SingleOutputStreamOperator<Mention> recent =
                mentions.process(new TooOldMentions(settings.maxEventAge(), settings.clock()))
                        .uid(OperatorIds.TOO_OLD)
                        .name("set-aside-too-old");
        SingleOutputStreamOperator<Mention> enriched =
                recent.keyBy(new MentionIdKey())
                        .process(new DeduplicateMentions(settings.dedupWindow()))
                        .uid(OperatorIds.DEDUP)
                        .name("deduplicate-by-id")
                        .process(new EnrichMentions(settings.rules(), settings.sentiment()))
                        .uid(OperatorIds.ENRICH)
                        .name("brands-topics-language-sentiment")
                        // the rules may add brands and topics: bound the fan-out of the windows
                        .process(new EnforceFanOutLimits(settings.fanOutLimits()))
                        .uid(OperatorIds.FAN_OUT_LIMITS)
                        .name("fan-out-limits");
        DataStream<DeadLetter> deadLetters =
                mentions.getSideOutput(SplitDeadLetters.DEAD_LETTERS)
                        .union(enriched.getSideOutput(EnforceFanOutLimits.DEAD_LETTERS));

        enriched.sinkTo(sinks.mentions())
                .uid(OperatorIds.MENTIONS_SINK)
                .name("elasticsearch-mentions");

        // the source's subtasks are combined above (by mention id). Below, the windows, detectors
        // and drivers join paths of very different lengths: none of them may be marked idle, or
        // a quicker path would run event time ahead of a slower one's results. (Care keeps the
        // source's idleness: its CRM input may move its event time while mentions are quiet.)
        DataStream<Mention> analysed =
                enriched.transform(
                                "stay-active",
                                TypeInformation.of(Mention.class),
                                new StayActive<>())
                        .uid(OperatorIds.STAY_ACTIVE)
                        .name("stay-active");
        SingleOutputStreamOperator<WindowAggregate> aggregates =
                windowAggregates(analysed, settings);

        aggregates
                .sinkTo(sinks.aggregates())
                .uid(OperatorIds.AGGREGATES_SINK)
                .name("elasticsearch-aggregates");

        aggregates
                .getSideOutput(LATE)
                .process(new LateMentions())
                .uid(OperatorIds.LATE)
                .name("late-mentions")
                .union(recent.getSideOutput(TooOldMentions.TOO_OLD))
                .sinkTo(sinks.lateMentions())
                .uid(OperatorIds.LATE_SINK)
                .name("late-mentions-topic");

        SpikeDetection.Result spikeDetection =
                SpikeDetection.apply(aggregates, settings.detection().spike());
        // later matches of an incident keep its alert open and update it; they never open one
        DataStream<AlertSignal> spikes =
                spikeDetection
                        .alerts()
                        .map(new SpikeSignals())
                        .name("spike-signals")
                        .union(
                                spikeDetection
                                        .continuations()
                                        .map(new SpikeSignals(false))
                                        .name("spike-continuation-signals"));
        DataStream<ScopedMention> scoped =
                analysed.flatMap(new ScopeByBrandAndTopic())
                        .uid(OperatorIds.EXPLAIN_SCOPE)
                        .name("scope-for-drivers");
        DataStream<Alert> alerts =
                alerts(
                        explain(
                                        scoped,
                                        negativeBursts(aggregates, settings.detection())
                                                .union(spikes),
                                        settings)
                                .union(emergingTopics(scoped, settings)),
                        settings);
        if (settings.rules() != null) {
            alerts = alerts.union(adverseEvents(enriched, settings));
            CareWorkflow.Streams c = CareWorkflow.apply(enriched, customers, settings, care);
            alerts = alerts.union(c.alerts());
            if (c.deadLetters() != null) {
                deadLetters = deadLetters.union(c.deadLetters());
            }
            if (sinks.care() != null) {
                c.figures()
                        .sinkTo(sinks.care())
                        .uid(OperatorIds.CARE_SINK)
                        .name("elasticsearch-care");
            }
        }
        deadLetters
                .sinkTo(sinks.deadLetters())
                .uid(OperatorIds.DEAD_LETTER_SINK)
                .name("dead-letter-topic");
        alerts.sinkTo(sinks.alerts()).uid(OperatorIds.ALERTS_SINK).name("elasticsearch-alerts");
        alerts.sinkTo(sinks.alertEvents()).uid(OperatorIds.ALERT_EVENTS_SINK).name("alerts-topic");
        if (sinks.webhooks() != null) {
            alerts.sinkTo(sinks.webhooks()).uid(OperatorIds.WEBHOOK_SINK).name("webhooks");
        }
    }

    /**
     * Hands a record from one chained operator to the next by reference instead of a deep copy
     * through its serializer: the enriched mention goes to five chained consumers, and the copies
     * were a large share of the job's CPU. Safe for this workflow because every record type that
     * flows between its operators is an immutable Java record (lists inside are never changed after
     * construction; enrichment builds new ones) and no function keeps or changes an input element
     * beyond its call except through Flink state. The CEP operators keep their input records in
     * their buffers as they are (they do not copy them), which is safe only because those records
     * are immutable too.
     */
    static void enableObjectReuse(DataStream<?> input) {
        input.getExecutionEnvironment().getConfig().enableObjectReuse();
    }

    /**
     * Negative-sentiment bursts: each window scored against the key's baseline, confirmed by CEP.
     */
    static DataStream<AlertSignal> negativeBursts(
            DataStream<WindowAggregate> aggregates, DetectionSettings d) {
        NegativeBurstPattern burst =
                new NegativeBurstPattern(
                        d.negativeMinCount(),
                        d.negativeMinLift(),
                        d.negativeMinZ(),
                        d.negativeWindows(),
                        d.negativeWithin(),
                        d.negativeWarmupWindows());
        DataStream<NegativeScore> scores =
                aggregates
                        .keyBy(new AggregateKey())
                        .process(
                                new NegativeShareBaseline(
                                        d.negativeMinZ(), d.baselineIdleTimeout()))
                        .uid(OperatorIds.NEGATIVE_BASELINE)
                        .name("negative-share-baseline");
        return burst.apply(scores.keyBy(new NegativeScoreKey()))
                .uid(OperatorIds.NEGATIVE_BURST_CEP)
                .name("negative-burst-pattern");
    }

    /**
     * Windows of evidence kept after their allowed lateness for the detectors' signals about them
     * (a detector signals once the window closed, a pattern a few windows later).
     */
    static final int EXPLAIN_RETAINED_WINDOWS = 3;

    /** The drivers' baseline remembers about this many windows (4 hours of 1-minute windows). */
    static final int EXPLAIN_BASELINE_WINDOWS = 240;

    /**
     * Attaches drivers to the viral-spike and negative-burst signals: the mentions, scoped like the
     * windows, against each (brand, topic)'s running baseline.
     */
    static DataStream<AlertSignal> explain(
            DataStream<ScopedMention> scoped,
            DataStream<AlertSignal> signals,
            PipelineSettings settings) {
        return scoped.keyBy(new BrandTopicKey())
                .connect(signals.keyBy(new SignalScopeKey()))
                .transform(
                        "alert-drivers",
                        TypeInformation.of(AlertSignal.class),
                        new ExplainSignalsOperator(
                                new ExplainSignals(
                                        settings.windowSize(),
                                        settings.allowedLateness(),
                                        EXPLAIN_RETAINED_WINDOWS,
                                        EXPLAIN_BASELINE_WINDOWS,
                                        settings.detection().baselineIdleTimeout())))
                .uid(OperatorIds.EXPLAIN_SIGNALS)
                .name("alert-drivers");
    }

    /** The emerging topics' baseline remembers about this many buckets (a week of 15 minutes). */
    static final int EMERGING_BASELINE_BUCKETS = 672;

    /** Terms no rule watches that rise far above their own baseline, per brand. */
    static DataStream<AlertSignal> emergingTopics(
            DataStream<ScopedMention> scoped, PipelineSettings settings) {
        DetectionSettings d = settings.detection();
        return scoped.filter(new WholeBrand())
                .uid(OperatorIds.EMERGING_SCOPE)
                .name("scope-for-emerging-topics")
                .keyBy(new BrandTopicKey())
                .transform(
                        "emerging-topics",
                        TypeInformation.of(AlertSignal.class),
                        new EmergingTopicsOperator(
                                new EmergingTopics(
                                        d.emergingWindow(),
                                        // judged when the watermark passes the bucket: a story
                                        // is worth more early than complete (late mentions
                                        // still count elsewhere)
                                        Duration.ZERO,
                                        EMERGING_BASELINE_BUCKETS,
                                        d.emergingMinCount(),
                                        d.alertCooldown(),
                                        d.baselineIdleTimeout(),
                                        settings.rules() == null
                                                ? RuleVocabulary.none()
                                                : RuleVocabulary.of(settings.rules()))))
                .uid(OperatorIds.EMERGING_TOPICS)
                .name("emerging-topics");
    }

    /** One alert per mention of a pharma brand about an adverse-event topic. */
    static DataStream<Alert> adverseEvents(
            DataStream<Mention> mentions, PipelineSettings settings) {
        Set<String> pharma =
                settings.rules().brands().stream()
                        .filter(Brand::pharma)
                        .map(Brand::id)
                        .collect(Collectors.toSet());
        DetectionSettings d = settings.detection();
        return mentions.process(new AdverseEventAlerts(pharma, d.adverseEventTopics()))
                .uid(OperatorIds.ADVERSE_EVENTS)
                .name("adverse-event-alerts");
    }

    /** Detector signals → alerts with a lifecycle (open, updated, resolved). */
    static DataStream<Alert> alerts(DataStream<AlertSignal> signals, PipelineSettings settings) {
        return signals.keyBy(new AlertKey())
                .process(
                        new AlertLifecycle(
                                settings.detection().alertCooldown(), reportIntervals(settings)))
                .uid(OperatorIds.ALERT_LIFECYCLE)
                .name("alert-lifecycle");
    }

    /**
     * How long each detector may take between two reports of an ongoing incident: a window for the
     * spikes, a match of consecutive windows for the negative bursts, a bucket for the emerging
     * topics. Its alerts stay open at least this long past their last signal.
     */
    static Map<AlertType, Duration> reportIntervals(PipelineSettings settings) {
        DetectionSettings d = settings.detection();
        return Map.of(
                AlertType.VIRAL_SPIKE,
                settings.windowSize(),
                AlertType.NEGATIVE_BURST,
                settings.windowSize().multipliedBy(d.negativeWindows()),
                AlertType.EMERGING_TOPIC,
                d.emergingWindow());
    }

    /**
     * Fans mentions out to (brand, topic) and (brand, all) and aggregates them in tumbling
     * event-time windows; late mentions go to the {@link #LATE} side output.
     */
    static SingleOutputStreamOperator<WindowAggregate> windowAggregates(
            DataStream<Mention> mentions, PipelineSettings settings) {
        return mentions.flatMap(new ScopeByBrandAndTopic())
                .uid(OperatorIds.SCOPE)
                .name("scope-by-brand-and-topic")
                .keyBy(new BrandTopicKey())
                .window(TumblingEventTimeWindows.of(settings.windowSize()))
                .allowedLateness(settings.allowedLateness())
                .sideOutputLateData(LATE)
                .aggregate(new MentionStatistics(settings.topMentions()), new StampWindow())
                .uid(OperatorIds.WINDOW)
                .name("brand-topic-windows");
    }
}
