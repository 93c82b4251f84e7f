package io.echolot.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves that the shared test servers start and work: one record through Kafka, one document in
 * Elasticsearch.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // includes starting the servers
class ServersSmokeITCase {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void kafkaRoundTripsOneRecordThroughAFreshTopic() throws Exception {
        KafkaTestServer kafka = TestServers.kafka();
        String topic = kafka.createTopic("smoke", 2);
        assertThat(topic).startsWith("smoke-");

        RecordMetadata sent;
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(
                        Map.of(
                                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ProducerConfig.ACKS_CONFIG,
                                "all"),
                        new StringSerializer(),
                        new StringSerializer())) {
            sent =
                    producer.send(
                                    new ProducerRecord<>(
                                            topic, 1, "mention-1", "{\"text\":\"hello\"}"))
                            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(sent.partition()).isEqualTo(1);

        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers(),
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false),
                        new StringDeserializer(),
                        new StringDeserializer())) {
            List<TopicPartition> partitions =
                    List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
        }
        assertThat(received)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.partition()).isEqualTo(1);
                            assertThat(r.key()).isEqualTo("mention-1");
                            assertThat(r.value()).isEqualTo("{\"text\":\"hello\"}");
                        });
    }

    @Test
    void elasticsearchIndexesAndCountsOneDocument() throws Exception {
        ElasticsearchTestServer es = TestServers.elasticsearch();
        String index = es.randomIndex("Smoke");
        assertThat(index).startsWith("smoke-").isLowerCase();
        assertThat(es.url()).isEqualTo("http://" + es.host() + ":" + es.port());

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> created =
                send(
                        http,
                        "PUT",
                        es.url() + "/" + index,
                        "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);

        HttpResponse<String> indexed =
                send(
                        http,
                        "PUT",
                        es.url() + "/" + index + "/_doc/mention-1?refresh=true",
                        "{\"text\":\"hello\",\"sentiment\":0.5}");
        assertThat(indexed.statusCode()).as(indexed.body()).isEqualTo(201);

        HttpResponse<String> count = send(http, "GET", es.url() + "/" + index + "/_count", null);
        assertThat(count.statusCode()).as(count.body()).isEqualTo(200);
        assertThat(count.body()).contains("\"count\":1");

        HttpResponse<String> deleted = send(http, "DELETE", es.url() + "/" + index, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    }

    private static HttpResponse<String> send(
            HttpClient http, String method, String url, String json) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(WAIT)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                json == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
