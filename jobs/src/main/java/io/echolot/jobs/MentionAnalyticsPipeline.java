package io.echolot.jobs;

import io.echolot.kafka.DeadLetter;
import io.echolot.kafka.RawRecord;
import io.echolot.model.Mention;
import io.echolot.model.WindowAggregate;
import io.echolot.serde.ParseMentions;
import io.echolot.window.BrandTopicKey;
import io.echolot.window.MentionStatistics;
import io.echolot.window.MentionTimestamps;
import io.echolot.window.ScopeByBrandAndTopic;
import io.echolot.window.ScopedMention;
import io.echolot.window.StampWindow;
import java.time.Clock;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The mention analytics workflow, independent of where records come from and go to: parse and
 * validate → event time → index mentions → fan out to (brand, topic) and (brand, all) → tumbling
 * event-time windows → aggregates. Bad records go to the dead-letter sink, late ones to the late
 * sink; nothing is dropped silently.
 */
public final class MentionAnalyticsPipeline {

    /** Where the workflow writes. */
    public record Sinks(
            Sink<Mention> mentions,
            Sink<WindowAggregate> aggregates,
            Sink<DeadLetter> deadLetters,
            Sink<Mention> lateMentions) {}

    static final OutputTag<ScopedMention> LATE =
            new OutputTag<>("late-mentions") {
                private static final long serialVersionUID = 1L;
            };

    private MentionAnalyticsPipeline() {}

    /** Wires the workflow onto {@code raw}; {@code clock} bounds the plausible event time. */
    public static void defineWorkflow(
            DataStream<RawRecord> raw, Sinks sinks, PipelineSettings settings, Clock clock) {
        SingleOutputStreamOperator<Mention> parsed =
                raw.process(
                                new ParseMentions(
                                        settings.maxEventBytes(), settings.maxEventFuture(), clock))
                        .uid(OperatorIds.PARSE)
                        .name("parse-and-validate");
        parsed.getSideOutput(ParseMentions.DEAD_LETTERS)
                .sinkTo(sinks.deadLetters())
                .uid(OperatorIds.DEAD_LETTER_SINK)
                .name("dead-letter-topic");

        DataStream<Mention> mentions =
                parsed.assignTimestampsAndWatermarks(
                                WatermarkStrategy.<Mention>forBoundedOutOfOrderness(
                                                settings.outOfOrderness())
                                        .withTimestampAssigner(new MentionTimestamps())
                                        .withIdleness(settings.idleness()))
                        .uid(OperatorIds.WATERMARKS)
                        .name("event-time");

        mentions.sinkTo(sinks.mentions())
                .uid(OperatorIds.MENTIONS_SINK)
                .name("elasticsearch-mentions");

        SingleOutputStreamOperator<WindowAggregate> aggregates =
                mentions.flatMap(new ScopeByBrandAndTopic())
                        .uid(OperatorIds.SCOPE)
                        .name("scope-by-brand-and-topic")
                        .keyBy(new BrandTopicKey())
                        .window(TumblingEventTimeWindows.of(settings.windowSize()))
                        .allowedLateness(settings.allowedLateness())
                        .sideOutputLateData(LATE)
                        .aggregate(new MentionStatistics(settings.topMentions()), new StampWindow())
                        .uid(OperatorIds.WINDOW)
                        .name("brand-topic-windows");

        aggregates
                .sinkTo(sinks.aggregates())
                .uid(OperatorIds.AGGREGATES_SINK)
                .name("elasticsearch-aggregates");

        aggregates
                .getSideOutput(LATE)
                .process(new LateMentions())
                .uid(OperatorIds.LATE)
                .name("late-mentions")
                .sinkTo(sinks.lateMentions())
                .uid(OperatorIds.LATE_SINK)
                .name("late-mentions-topic");
    }
}
