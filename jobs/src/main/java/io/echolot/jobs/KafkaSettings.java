package io.echolot.jobs;

import io.echolot.kafka.KafkaClientProperties;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How the job's Kafka clients connect and commit: the operator's client properties ({@code
 * --kafka-properties}: TLS, SASL, with {@code ${env:…}} and {@code ${file:…}} placeholders resolved
 * where each client is created), the prefix of the transactional ids of the exactly-once sinks
 * (unique per job: two jobs with the same prefix abort each other's transactions) and their
 * transaction timeout (at most the brokers' {@code transaction.max.timeout.ms}, 15 min by default).
 */
public record KafkaSettings(
        KafkaClientProperties client, String transactionalIdPrefix, Duration transactionTimeout)
        implements Serializable {

    /** The transactional id suffix of each exactly-once sink, after the prefix and a dash. */
    public static final String DEAD_LETTERS = "dead-letters";

    public static final String LATE_MENTIONS = "late-mentions";
    public static final String ALERTS = "alerts";

    /** The alert documents on their index topic. */
    public static final String ALERTS_INDEX = "alerts-index";

    /** The indexing job's dead letters (index records it cannot read). */
    public static final String INDEX_DEAD_LETTERS = "indexing-dead-letters";

    /** The settings of a Kafka source: the operator's consumer and admin settings. */
    public Properties source() {
        return KafkaClientProperties.toProperties(client.forConsumer());
    }

    /** The settings of an exactly-once Kafka sink. */
    public Properties sink() {
        Properties p = KafkaClientProperties.toProperties(client.forProducer());
        p.setProperty(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                Long.toString(transactionTimeout.toMillis()));
        return p;
    }

    /** The transactional id prefix of one sink, e.g. {@code echolot-mention-analytics-alerts}. */
    public String transactionalIdPrefix(String sink) {
        return transactionalIdPrefix + "-" + sink;
    }

    /** The settings of a dead-letter producer of the Elasticsearch and webhook sinks. */
    public Map<String, String> deadLetterProducer(String bootstrapServers) {
        return client.forProducer(
                new TreeMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)));
    }
}
