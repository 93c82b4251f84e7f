package io.echolot.jobs;

import io.echolot.model.Mention;
import io.echolot.testing.Mentions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** What the Kafka security and exactly-once integration tests share. */
final class KafkaITSupport {

    private KafkaITSupport() {}

    /** A started MiniCluster of one TaskManager with 4 slots and {@code conf}. */
    static MiniCluster miniCluster(Configuration conf) throws Exception {
        // any free port: 8081 may be taken by a Flink cluster running on the same machine
        conf.set(RestOptions.BIND_PORT, "0");
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(conf)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(4)
                                .build());
        cluster.start();
        return cluster;
    }

    /** The job graph of the real job wiring, as {@code flink run} would submit it. */
    static JobGraph jobGraph(JobOptions options) {
        return jobGraph(options, new Configuration());
    }

    /** As {@link #jobGraph(JobOptions)}, with {@code settings} (e.g. checkpoint settings). */
    static JobGraph jobGraph(JobOptions options, Configuration settings) {
        Configuration conf = new Configuration(settings);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
        MentionAnalyticsJob.defineJob(env, options);
        return env.getStreamGraph().getJobGraph();
    }

    /** The job graph of the indexing job, as {@code flink run -c …IndexingJob} would submit it. */
    static JobGraph indexingJobGraph(JobOptions options) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(conf);
        IndexingJob.defineJob(env, options);
        return env.getStreamGraph().getJobGraph();
    }

    /**
     * 12 minutes of a brand with 20% negative mentions, two minutes with 83% (a negative burst),
     * and a later mention that moves event time past the cooldown: one alert opened and resolved.
     */
    static List<byte[]> negativeBurst(String brand, Instant t0, String idPrefix) {
        List<byte[]> records = new ArrayList<>();
        for (int minute = 0; minute < 12; minute++) {
            for (int i = 0; i < 10; i++) {
                Mention m =
                        Mentions.mention(
                                idPrefix + "-q" + minute + "-" + i,
                                brand,
                                List.of(),
                                t0.plusSeconds(minute * 60L + i));
                records.add(Mentions.eventBytes(Mentions.withSentiment(m, i < 2 ? -0.6 : 0.5)));
            }
        }
        for (int minute = 12; minute < 14; minute++) {
            for (int i = 0; i < 30; i++) {
                Mention m =
                        Mentions.mention(
                                idPrefix + "-b" + minute + "-" + i,
                                brand,
                                List.of(),
                                t0.plusSeconds(minute * 60L + i));
                records.add(Mentions.eventBytes(Mentions.withSentiment(m, i < 25 ? -0.8 : 0.2)));
            }
        }
        records.add(
                Mentions.eventBytes(
                        Mentions.mention(
                                idPrefix + "-z", brand, List.of(), t0.plusSeconds(22 * 60))));
        return records;
    }

    /** A record that is not JSON, distinct per {@code n}: a dead letter. */
    static byte[] notJson(String tag, int n) {
        return ("{\"id\": \"" + tag + "-broken-" + n + "\", ").getBytes(StandardCharsets.UTF_8);
    }
}
