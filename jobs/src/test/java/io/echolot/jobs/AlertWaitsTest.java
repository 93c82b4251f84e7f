package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.junit.jupiter.api.Test;

/** What a window's alerts wait for on their way: network buffers and the watermark interval. */
class AlertWaitsTest {

    @Test
    void theJobEmitsWatermarksEveryFiftyMillisecondsAndKeepsFlinksBufferTimeout() {
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(new Configuration());
        String rules =
                Path.of("..", "schemas", "src", "main", "resources", "echolot", "rules")
                        .resolve("example-rules.yaml")
                        .toString();
        MentionAnalyticsJob.defineJob(
                env, JobOptions.parse(new String[] {"--rules", rules}, Map.of()));
        StreamGraph graph = env.getStreamGraph();

        assertThat(graph.getExecutionConfig().getAutoWatermarkInterval()).isEqualTo(50);
        // a shorter timeout, even on the alert path's outputs only, cost 20-60 % more TaskManager
        // CPU at 1,000 mentions/s (BENCHMARKS.md "Alert latency after the watermark")
        assertThat(graph.getStreamNodes())
                .isNotEmpty()
                .allSatisfy(
                        node ->
                                assertThat(node.getBufferTimeout())
                                        .as(node.getOperatorName())
                                        .isEqualTo(100L));
    }

    @Test
    void aSubmittedWatermarkIntervalIsKept() {
        Configuration submitted = new Configuration();
        submitted.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(1000));
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(submitted);

        MentionAnalyticsJob.emitWatermarksPromptly(env);

        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(1000);
    }

    @Test
    void withoutOneTheWatermarkIntervalIsFiftyMilliseconds() {
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(new Configuration());
        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(200);

        MentionAnalyticsJob.emitWatermarksPromptly(env);

        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(50);
    }
}
