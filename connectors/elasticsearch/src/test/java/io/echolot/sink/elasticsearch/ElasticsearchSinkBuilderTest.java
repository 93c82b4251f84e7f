package io.echolot.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ElasticsearchSinkBuilderTest {

    private static final ElasticsearchConfig CONFIG =
            ElasticsearchConfig.builder().hosts("http://127.0.0.1:9200").build();

    @Test
    void buildsASerializableSinkWithDefaults() throws Exception {
        ElasticsearchSink<SinkTestDocument> sink =
                ElasticsearchSink.<SinkTestDocument>builder()
                        .setConfig(CONFIG)
                        .setConverter(new SinkTestDocumentConverter("i"))
                        .setDeadLetterHandler(new KafkaDeadLetterHandler("127.0.0.1:9092", "dlq"))
                        .addIndexTemplate("t", "/echolot-test/templates/sinktest.json")
                        .build();

        // the sink travels to the TaskManagers inside the job graph
        assertThat(InstantiationUtil.clone(sink)).isNotNull();
        assertThat(sink.getWriterStateSerializer().getVersion())
                .isEqualTo(DocumentRequestSerializer.VERSION);
    }

    @Test
    void requiresConfigAndConverter() {
        assertThatThrownBy(
                        () ->
                                ElasticsearchSink.<SinkTestDocument>builder()
                                        .setConverter(new SinkTestDocumentConverter("i"))
                                        .build())
                .hasMessageContaining("setConfig");
        assertThatThrownBy(
                        () ->
                                ElasticsearchSink.<SinkTestDocument>builder()
                                        .setConfig(CONFIG)
                                        .build())
                .hasMessageContaining("setConverter");
    }

    @Test
    void rejectsAMissingTemplateResourceWhileTheJobIsBuilt() {
        assertThatThrownBy(
                        () ->
                                ElasticsearchSink.<SinkTestDocument>builder()
                                        .addIndexTemplate("mentions", "nowhere/mentions.json"))
                .hasMessageContaining("'nowhere/mentions.json'")
                .hasMessageContaining("not on the classpath");
    }

    @Test
    void rejectsARequestTimeoutShorterThanOneAttemptPlusBackoff() {
        assertThatThrownBy(
                        () ->
                                ElasticsearchSink.<SinkTestDocument>builder()
                                        .setConfig(CONFIG)
                                        .setConverter(new SinkTestDocumentConverter("i"))
                                        .setMaxBackoff(Duration.ofMinutes(2))
                                        .setRequestTimeout(Duration.ofMinutes(1))
                                        .build())
                .hasMessageContaining("must exceed socket timeout + connect timeout + max backoff");
    }

    @Test
    void rejectsAMaxBackoffBelowTheInitialBackoff() {
        assertThatThrownBy(
                        () ->
                                ElasticsearchSink.<SinkTestDocument>builder()
                                        .setConfig(CONFIG)
                                        .setConverter(new SinkTestDocumentConverter("i"))
                                        .setInitialBackoff(Duration.ofSeconds(2))
                                        .setMaxBackoff(Duration.ofSeconds(1))
                                        .build())
                .hasMessageContaining("is below the initial backoff");
    }
}
