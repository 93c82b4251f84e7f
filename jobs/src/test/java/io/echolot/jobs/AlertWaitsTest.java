package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

class AlertWaitsTest {

    @Test
    void withoutSettingsOfItsOwnTheJobFlushesAfterFiveMillisecondsAndEmitsWatermarksEveryFifty() {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        assertThat(env.getBufferTimeout()).isEqualTo(100);
        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(200);

        MentionAnalyticsJob.shortenAlertWaits(env);

        assertThat(env.getBufferTimeout()).isEqualTo(5);
        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(50);
    }

    @Test
    void aSubmissionThatSetsEitherWaitKeepsIt() {
        Configuration submitted = new Configuration();
        submitted.set(ExecutionOptions.BUFFER_TIMEOUT, Duration.ofMillis(100));
        submitted.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(1000));
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(submitted);

        MentionAnalyticsJob.shortenAlertWaits(env);

        assertThat(env.getBufferTimeout()).isEqualTo(100);
        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(1000);
    }

    @Test
    void aSubmissionThatTurnsTheTimeoutOffKeepsItOff() {
        Configuration submitted = new Configuration();
        submitted.set(ExecutionOptions.BUFFER_TIMEOUT_ENABLED, false);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(submitted);
        long before = env.getBufferTimeout();

        MentionAnalyticsJob.shortenAlertWaits(env);

        assertThat(env.getBufferTimeout()).isEqualTo(before);
    }
}
