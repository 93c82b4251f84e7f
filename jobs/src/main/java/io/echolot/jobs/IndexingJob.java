package io.echolot.jobs;

import io.echolot.index.AsWritten;
import io.echolot.index.IndexRecord;
import io.echolot.index.IndexRequestDeserializer;
import io.echolot.index.SplitIndexRecords;
import io.echolot.kafka.DeadLetterSerializer;
import io.echolot.sink.elasticsearch.ElasticsearchConfig;
import io.echolot.sink.elasticsearch.ElasticsearchSink;
import io.echolot.sink.elasticsearch.KafkaDeadLetterHandler;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The indexing job: the document writes the analytics job put on the index topics → Elasticsearch.
 * It is a job of its own so that an Elasticsearch outage, a read-only index or a slow cluster
 * back-pressures only this job: detection and alerting keep running, and the topics hold the
 * backlog until Elasticsearch takes it. It takes the same flags as {@link MentionAnalyticsJob} and
 * uses {@code --bootstrap-servers}, {@code --index-topic-prefix}, {@code --dead-letter-topic},
 * {@code --group-id} (with {@code -indexing} appended), the {@code --es-*} flags, {@code
 * --checkpoint-interval} and {@code --parallelism}. It always starts from the committed offsets, or
 * the earliest where there are none: skipping index records would leave holes in the dashboards.
 */
public final class IndexingJob {

    /**
     * The index templates this job installs before its first write: its sink writes every index
     * echolot has (the analytics job only puts the writes on the index topics), so the templates of
     * all of them belong to this sink and to no other.
     */
    static final String[][] TEMPLATES = {
        {"echolot-mentions", "/echolot/elasticsearch/templates/echolot-mentions.json"},
        {"echolot-aggregates", "/echolot/elasticsearch/templates/echolot-aggregates.json"},
        {"echolot-alerts", "/echolot/elasticsearch/templates/echolot-alerts.json"},
        {"echolot-care", "/echolot/elasticsearch/templates/echolot-care.json"},
    };

    /** How often the source looks for new index topics and partitions. */
    static final Duration PARTITION_DISCOVERY = Duration.ofSeconds(10);

    private IndexingJob() {}

    /** What {@code --help} says before the flags. */
    static final String USAGE =
            "echolot indexing job: the index topics -> Elasticsearch. It takes the analytics"
                    + " job's flags and uses the Kafka, index topic, dead-letter, --es-*,"
                    + " checkpoint and parallelism flags.\n"
                    + "  flink run -d -c "
                    + IndexingJob.class.getName()
                    + " echolot-job.jar [FLAGS]";

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
        env.execute("echolot indexing");
    }

    /** Builds the index topic source, the Elasticsearch sink and the dead-letter sink. */
    public static void defineJob(StreamExecutionEnvironment env, JobOptions options) {
        env.enableCheckpointing(
                options.checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
        // While Elasticsearch is down its writes cannot be flushed, so checkpoints time out. That
        // must not restart the job into a loop (a restarted sink needs Elasticsearch to install its
        // templates): it waits, back-pressured, and the writes are idempotent, so replaying from an
        // older checkpoint after a crash costs time, never data.
        env.getCheckpointConfig().setTolerableCheckpointFailureNumber(Integer.MAX_VALUE);
        if (options.parallelism() > 0) {
            env.setParallelism(options.parallelism());
        }
        SingleOutputStreamOperator<IndexRecord> requests =
                env.fromSource(source(options), WatermarkStrategy.noWatermarks(), "kafka-index")
                        .uid(OperatorIds.INDEX_SOURCE)
                        .process(new SplitIndexRecords())
                        .name("split-unreadable-index-records")
                        .uid(OperatorIds.INDEX_SPLIT);
        requests.sinkTo(elasticsearch(options))
                .name("elasticsearch")
                .uid(OperatorIds.INDEX_ELASTICSEARCH_SINK);
        requests.getSideOutput(SplitIndexRecords.DEAD_LETTERS)
                .sinkTo(
                        MentionAnalyticsJob.exactlyOnce(
                                options,
                                KafkaSettings.INDEX_DEAD_LETTERS,
                                new DeadLetterSerializer(options.deadLetterTopic())))
                .name("index-dead-letters")
                .uid(OperatorIds.INDEX_DEAD_LETTER_SINK);
    }

    static KafkaSource<IndexRecord> source(JobOptions o) {
        return KafkaSource.<IndexRecord>builder()
                .setBootstrapServers(o.bootstrapServers())
                .setProperties(o.kafka().source())
                .setTopicPattern(o.indexTopics().pattern())
                .setGroupId(o.groupId() + "-indexing")
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new IndexRequestDeserializer())
                // the analytics job may write index records in transactions
                .setProperty("isolation.level", "read_committed")
                .setProperty("commit.offsets.on.checkpoint", "true")
                // finds index topics created after the start within seconds, not minutes
                .setProperty(
                        "partition.discovery.interval.ms",
                        Long.toString(PARTITION_DISCOVERY.toMillis()))
                .build();
    }

    static ElasticsearchSink<IndexRecord> elasticsearch(JobOptions o) {
        ElasticsearchSink.Builder<IndexRecord> b =
                ElasticsearchSink.<IndexRecord>builder()
                        .setConfig(elasticsearchConfig(o))
                        .setConverter(new AsWritten())
                        .setDeadLetterHandler(
                                new KafkaDeadLetterHandler(
                                        o.deadLetterTopic(),
                                        o.kafka().deadLetterProducer(o.bootstrapServers())));
        for (String[] t : TEMPLATES) {
            b.addIndexTemplate(t[0], t[1]);
        }
        return b.build();
    }

    static ElasticsearchConfig elasticsearchConfig(JobOptions o) {
        ElasticsearchConfig.Builder b = ElasticsearchConfig.builder().hosts(o.esHosts());
        if (o.esUsername() != null) {
            b.basicAuth(o.esUsername(), o.esPassword());
        }
        if (o.esApiKey() != null) {
            b.apiKey(o.esApiKey());
        }
        if (o.esCaCert() != null) {
            b.caCertificate(o.esCaCert());
        }
        b.insecureTrustAllCertificates(o.esTlsInsecure());
        return b.build();
    }
}
