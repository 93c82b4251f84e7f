package io.echolot.jobs;

import io.echolot.kafka.DeadLetter;
import io.echolot.model.Mention;
import io.echolot.model.WindowAggregate;
import io.echolot.serde.ParsedRecord;
import io.echolot.serde.ParsedRecordTimestamps;
import io.echolot.serde.SplitDeadLetters;
import io.echolot.window.BrandTopicKey;
import io.echolot.window.MentionStatistics;
import io.echolot.window.ScopeByBrandAndTopic;
import io.echolot.window.ScopedMention;
import io.echolot.window.StampWindow;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.util.OutputTag;

/**
 * The mention analytics workflow, independent of where records come from and go to: split off dead
 * letters → index mentions → fan out to (brand, topic) and (brand, all) → tumbling event-time
 * windows → aggregates. Bad records go to the dead-letter sink, late ones to the late sink; nothing
 * is dropped silently.
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

    /**
     * Timestamps and watermarks of parsed records, applied in the Kafka source so that they are
     * generated per partition: bounded out-of-orderness on {@code created_at}, with idleness.
     */
    public static WatermarkStrategy<ParsedRecord> watermarks(PipelineSettings settings) {
        return WatermarkStrategy.<ParsedRecord>forBoundedOutOfOrderness(settings.outOfOrderness())
                .withTimestampAssigner(new ParsedRecordTimestamps())
                .withIdleness(settings.idleness());
    }

    /** Wires the workflow onto {@code parsed}, which carries {@link #watermarks} already. */
    public static void defineWorkflow(
            DataStream<ParsedRecord> parsed, Sinks sinks, PipelineSettings settings) {
        SingleOutputStreamOperator<Mention> mentions =
                parsed.process(new SplitDeadLetters())
                        .uid(OperatorIds.SPLIT_DEAD_LETTERS)
                        .name("split-dead-letters");
        mentions.getSideOutput(SplitDeadLetters.DEAD_LETTERS)
                .sinkTo(sinks.deadLetters())
                .uid(OperatorIds.DEAD_LETTER_SINK)
                .name("dead-letter-topic");

        mentions.sinkTo(sinks.mentions())
                .uid(OperatorIds.MENTIONS_SINK)
                .name("elasticsearch-mentions");

        SingleOutputStreamOperator<WindowAggregate> aggregates =
                windowAggregates(mentions, settings);

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
