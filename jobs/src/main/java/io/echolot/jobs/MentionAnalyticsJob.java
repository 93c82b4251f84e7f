package io.echolot.jobs;

import io.echolot.care.CustomerDeserializer;
import io.echolot.care.CustomerUpdate;
import io.echolot.care.CustomerWatermarks;
import io.echolot.index.AggregateDocuments;
import io.echolot.index.AlertDocuments;
import io.echolot.index.CareDocuments;
import io.echolot.index.DocumentConverter;
import io.echolot.index.IndexRequestSerializer;
import io.echolot.index.IndexTopics;
import io.echolot.index.MentionDocuments;
import io.echolot.ingest.MentionDeserializer;
import io.echolot.ingest.ParsedRecord;
import io.echolot.kafka.AlertEventSerializer;
import io.echolot.kafka.DeadLetterSerializer;
import io.echolot.kafka.MentionEventSerializer;
import io.echolot.sink.webhook.WebhookDeadLetters;
import io.echolot.sink.webhook.WebhookSink;
import java.time.Duration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The mention analytics job: mentions from Kafka, parsed and validated in the source (watermarks
 * per partition) → event-time windows per brand and topic → detection and alerts (alerts topic,
 * webhooks); the Elasticsearch documents (mentions, aggregates, alerts, care figures) go to the
 * index topics, which the {@link IndexingJob} writes to Elasticsearch, so that no Elasticsearch
 * fault can hold back alerting. Bad records go to a dead-letter topic, late ones to a late topic.
 * {@code main} only reads flags and builds the real source and sinks; the workflow is {@link
 * MentionAnalyticsPipeline#defineWorkflow}.
 *
 * <p>Its flags are declared in {@link JobFlags}: {@code --help} lists each with its default, and so
 * does the README's flag table.
 */
public final class MentionAnalyticsJob {

    private MentionAnalyticsJob() {}

    /** What {@code --help} says before the flags. */
    static final String USAGE =
            "echolot mention analytics job: mentions from Kafka -> windows, detection, alerts, and"
                    + " the documents for the indexing job.\n"
                    + "  flink run -d echolot-job.jar [FLAGS]";

    public static void main(String[] args) throws Exception {
        if (JobFlags.wantsHelp(args)) {
            System.out.print(JobFlags.help(USAGE));
            return;
        }
        JobOptions options;
        try {
            options = JobOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            throw e;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        defineJob(env, options);
        env.execute("echolot mention analytics");
    }

    /** How often the source emits a watermark when the submission does not set it. */
    static final Duration WATERMARK_INTERVAL = Duration.ofMillis(50);

    /**
     * Emits the source's watermark every 50 ms instead of Flink's 200, unless the submission sets
     * {@code pipeline.auto-watermark-interval}: a window's alerts wait for it, and it costs no
     * measurable TaskManager CPU. The network buffer timeout stays Flink's: shorter ones cost CPU
     * (BENCHMARKS.md "Alert latency after the watermark").
     */
    static void emitWatermarksPromptly(StreamExecutionEnvironment env) {
        if (env.getConfiguration().getOptional(PipelineOptions.AUTO_WATERMARK_INTERVAL).isEmpty()) {
            env.getConfig().setAutoWatermarkInterval(WATERMARK_INTERVAL.toMillis());
        }
    }

    /**
     * Builds the real sources and sinks from the options and wires the workflow onto {@code env}.
     */
    public static void defineJob(StreamExecutionEnvironment env, JobOptions options) {
        env.enableCheckpointing(
                options.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        if (options.parallelism() > 0) {
            env.setParallelism(options.parallelism());
        }
        emitWatermarksPromptly(env);

        DataStream<ParsedRecord> parsed =
                env.fromSource(
                                kafkaSource(options),
                                MentionAnalyticsPipeline.watermarks(options.pipeline()),
                                "kafka-mentions")
                        .uid(OperatorIds.KAFKA_SOURCE);

        DataStream<CustomerUpdate> customers = null;
        if (options.care().crmTopic() != null) {
            customers =
                    env.fromSource(
                                    customerSource(options),
                                    CustomerWatermarks.strategy(),
                                    "kafka-customers")
                            // one reader owns every partition: a reader without a partition would
                            // never report the end of event time and hold back the join
                            .setParallelism(1)
                            .uid(OperatorIds.CRM_SOURCE);
        }

        IndexTopics index = options.indexTopics();
        String dlq = options.deadLetterTopic();
        MentionAnalyticsPipeline.defineWorkflow(
                parsed,
                customers,
                new MentionAnalyticsPipeline.Sinks(
                        indexSink(options, new MentionDocuments(), index.mentions()),
                        indexSink(options, new AggregateDocuments(), index.aggregates()),
                        exactlyOnce(
                                options, KafkaSettings.DEAD_LETTERS, new DeadLetterSerializer(dlq)),
                        exactlyOnce(
                                options,
                                KafkaSettings.LATE_MENTIONS,
                                new MentionEventSerializer(options.lateTopic())),
                        committedIndexSink(
                                options,
                                KafkaSettings.ALERTS_INDEX,
                                new AlertDocuments(),
                                index.alerts()),
                        exactlyOnce(
                                options,
                                KafkaSettings.ALERTS,
                                new AlertEventSerializer(options.alertsTopic())),
                        webhooks(options),
                        indexSink(options, new CareDocuments(), index.care())),
                options.pipeline(),
                options.care());
    }

    /**
     * A Kafka sink whose records become visible at the checkpoint that covers them, so a restart
     * neither loses nor repeats them for consumers that read with {@code
     * isolation.level=read_committed}.
     */
    static <T> KafkaSink<T> exactlyOnce(
            JobOptions o, String sink, KafkaRecordSerializationSchema<T> serializer) {
        KafkaSettings kafka = o.kafka();
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(kafka.sink())
                .setBootstrapServers(o.bootstrapServers())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(kafka.transactionalIdPrefix(sink))
                .build();
    }

    /**
     * The compacted customers topic, always read from the start: the CRM state is rebuilt from the
     * topic on a start without savepoint, and restored from state otherwise.
     */
    static KafkaSource<CustomerUpdate> customerSource(JobOptions o) {
        return KafkaSource.<CustomerUpdate>builder()
                .setBootstrapServers(o.bootstrapServers())
                .setProperties(o.kafka().source())
                .setTopics(o.care().crmTopic())
                .setGroupId(o.groupId() + "-customers")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new CustomerDeserializer())
                .setProperty("commit.offsets.on.checkpoint", "true")
                .build();
    }

    static KafkaSource<ParsedRecord> kafkaSource(JobOptions o) {
        OffsetsInitializer offsets =
                switch (o.startingOffsets()) {
                    case "earliest" -> OffsetsInitializer.earliest();
                    case "latest" -> OffsetsInitializer.latest();
                    default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                };
        PipelineSettings p = o.pipeline();
        return KafkaSource.<ParsedRecord>builder()
                .setBootstrapServers(o.bootstrapServers())
                .setProperties(o.kafka().source())
                .setTopics(o.mentionsTopic())
                .setGroupId(o.groupId())
                .setStartingOffsets(offsets)
                .setDeserializer(
                        new MentionDeserializer(
                                p.maxEventBytes(), p.maxEventFuture(), p.clock(), p.fanOutLimits()))
                // offsets are committed on checkpoints, so a restart without state resumes there
                .setProperty("commit.offsets.on.checkpoint", "true")
                .build();
    }

    /** The webhook sink when {@code --webhooks} names a file, else null. */
    static WebhookSink webhooks(JobOptions o) {
        if (o.webhooks() == null) {
            return null;
        }
        return new WebhookSink(
                o.webhooks(),
                new WebhookDeadLetters(
                        o.webhooksDeadLetterTopic(),
                        o.kafka().deadLetterProducer(o.bootstrapServers())));
    }

    /**
     * The documents of one kind as writes on their index topic, for the {@link IndexingJob}. At
     * least once is enough where a document's id follows from the input alone (a mention's id, a
     * window's key and bounds): a write repeated after a restart overwrites the same document, and
     * per-document order holds within its partition.
     */
    static <T> KafkaSink<T> indexSink(JobOptions o, DocumentConverter<T> converter, String topic) {
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(o.kafka().sink())
                .setBootstrapServers(o.bootstrapServers())
                .setRecordSerializer(
                        new IndexRequestSerializer<>(converter, topic, o.deadLetterTopic()))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    /**
     * Index writes in Kafka transactions that the checkpoints commit, for documents whose id
     * follows from a detector's decision: an alert's id names the window that opened it. A restart
     * replays the input from the last checkpoint, and where a decision near its threshold comes out
     * differently the second time, the alert of the lost attempt would otherwise stay in the index
     * as an open alert that no later state ever updates. Written this way, the alerts index holds
     * exactly the alert states of the alerts topic (the {@link IndexingJob} reads with {@code
     * read_committed}), one checkpoint later.
     */
    static <T> KafkaSink<T> committedIndexSink(
            JobOptions o, String sink, DocumentConverter<T> converter, String topic) {
        return exactlyOnce(
                o, sink, new IndexRequestSerializer<>(converter, topic, o.deadLetterTopic()));
    }
}
