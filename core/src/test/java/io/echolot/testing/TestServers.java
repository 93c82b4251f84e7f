package io.echolot.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Real servers for *ITCase tests, started once per test JVM and shared; stopped by a JVM shutdown
 * hook.
 *
 * <p>The servers are started by the local-stack scripts {@code docker/local/elasticsearch.sh} and
 * {@code docker/local/kafka.sh} (the same way {@code docker/local/up.sh} starts them), on free
 * loopback ports, in {@code target/it-servers/<time>-<pid>/} of the module under test. They need
 * the artifacts of {@code mvn install} of {@code docker/local} (Elasticsearch, the Kafka
 * classpath); the scripts say so when they are missing. The scripts also stop the servers when this
 * JVM dies without running its shutdown hooks.
 *
 * <p>Environment variables {@code ECHOLOT_TEST_ELASTICSEARCH_URL} (e.g. {@code
 * http://127.0.0.1:9200}) and {@code ECHOLOT_TEST_KAFKA_BOOTSTRAP} (e.g. {@code 127.0.0.1:9092})
 * select already running servers instead; nothing is started or stopped for them.
 *
 * <p>Use a fresh topic ({@link KafkaTestServer#createTopic}) or index ({@link
 * ElasticsearchTestServer#randomIndex}) per test.
 */
public final class TestServers {

    static final String ELASTICSEARCH_URL_ENV = "ECHOLOT_TEST_ELASTICSEARCH_URL";
    static final String KAFKA_BOOTSTRAP_ENV = "ECHOLOT_TEST_KAFKA_BOOTSTRAP";

    private static final Object ELASTICSEARCH_LOCK = new Object();
    private static final Object KAFKA_LOCK = new Object();
    private static final List<Runnable> STOPS = new ArrayList<>();

    private static ElasticsearchTestServer elasticsearch;
    private static RuntimeException elasticsearchFailure;
    private static KafkaTestServer kafka;
    private static RuntimeException kafkaFailure;
    private static boolean hookInstalled;

    private TestServers() {}

    /** The shared Elasticsearch server, started on the first call. */
    public static ElasticsearchTestServer elasticsearch() {
        synchronized (ELASTICSEARCH_LOCK) {
            if (elasticsearch == null) {
                if (elasticsearchFailure != null) {
                    throw new IllegalStateException(
                            "Elasticsearch for the tests failed to start earlier in this JVM",
                            elasticsearchFailure);
                }
                String external = System.getenv(ELASTICSEARCH_URL_ENV);
                try {
                    if (external != null && !external.isBlank()) {
                        elasticsearch = ElasticsearchTestServer.external(external);
                    } else {
                        ElasticsearchTestServer started =
                                ElasticsearchTestServer.start(StackScripts.runDir());
                        onShutdown(started::stop);
                        elasticsearch = started;
                    }
                } catch (RuntimeException e) {
                    elasticsearchFailure = e;
                    throw e;
                }
            }
            return elasticsearch;
        }
    }

    /** The shared Kafka broker, started on the first call. */
    public static KafkaTestServer kafka() {
        synchronized (KAFKA_LOCK) {
            if (kafka == null) {
                if (kafkaFailure != null) {
                    throw new IllegalStateException(
                            "Kafka for the tests failed to start earlier in this JVM",
                            kafkaFailure);
                }
                String external = System.getenv(KAFKA_BOOTSTRAP_ENV);
                try {
                    if (external != null && !external.isBlank()) {
                        KafkaTestServer server = KafkaTestServer.external(external);
                        onShutdown(server::stop); // closes the admin client only
                        kafka = server;
                    } else {
                        KafkaTestServer started = KafkaTestServer.start(StackScripts.runDir());
                        onShutdown(started::stop);
                        kafka = started;
                    }
                } catch (RuntimeException e) {
                    kafkaFailure = e;
                    throw e;
                }
            }
            return kafka;
        }
    }

    /**
     * Starts a further broker whose client port takes TLS connections with SASL/SCRAM logins only
     * ({@link KafkaTestServer#startScram}), not shared; stopped with the others when this JVM ends.
     */
    public static KafkaTestServer startScramKafka(String user, String password) {
        String name = "kafka-scram-" + System.nanoTime();
        KafkaTestServer started =
                KafkaTestServer.startScram(StackScripts.runDir(), name, user, password);
        onShutdown(started::stop);
        return started;
    }

    /** Registers a stop action; one shutdown hook runs them all, in parallel. */
    private static void onShutdown(Runnable stop) {
        synchronized (STOPS) {
            STOPS.add(stop);
            if (!hookInstalled) {
                Runtime.getRuntime()
                        .addShutdownHook(
                                new Thread(TestServers::stopAll, "echolot-test-servers-stop"));
                hookInstalled = true;
            }
        }
    }

    private static void stopAll() {
        List<Thread> threads = new ArrayList<>();
        synchronized (STOPS) {
            for (Runnable stop : STOPS) {
                Thread thread = new Thread(stop, "echolot-test-servers-stop-" + threads.size());
                thread.start();
                threads.add(thread);
            }
            STOPS.clear();
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
