package io.echolot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real Kafka broker for the integration tests, on loopback: either started by {@code
 * docker/local/kafka.sh} (see {@link TestServers#kafka()}) or an external one given by the
 * environment variable {@code ECHOLOT_TEST_KAFKA_BOOTSTRAP}.
 */
public final class KafkaTestServer {

    static final String SCRIPT = "kafka.sh";
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final Pattern VALID_PREFIX = Pattern.compile("[a-zA-Z0-9._-]+");

    /** The SASL mechanism of {@link #startScram}. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    private final String bootstrapServers;

    /** The instance directory of a started broker; null for an external one. */
    private final Path dir;

    /** What every client of the tests needs besides the servers (SASL settings), else empty. */
    private final Map<String, String> clientProperties;

    private Admin admin;

    private KafkaTestServer(String bootstrapServers, Path dir) {
        this(bootstrapServers, dir, Map.of());
    }

    private KafkaTestServer(
            String bootstrapServers, Path dir, Map<String, String> clientProperties) {
        this.bootstrapServers = bootstrapServers;
        this.dir = dir;
        this.clientProperties = Map.copyOf(clientProperties);
    }

    /** An external broker, e.g. {@code 127.0.0.1:9092}. */
    static KafkaTestServer external(String bootstrapServers) {
        KafkaTestServer server = new KafkaTestServer(bootstrapServers.strip(), null);
        server.checkReachable();
        return server;
    }

    /** Starts a broker on free ports in {@code <runDir>/kafka}. */
    static KafkaTestServer start(Path runDir) {
        Path dir = runDir.resolve("kafka");
        int port =
                StackScripts.startOnFreePorts(
                        "Kafka",
                        SCRIPT,
                        "--controller-port",
                        dir,
                        runDir.resolve("kafka-start.log"),
                        SCRIPT_TIMEOUT,
                        dir.resolve("logs").resolve("server.log"));
        KafkaTestServer server = new KafkaTestServer("127.0.0.1:" + port, dir);
        try {
            server.checkReachable();
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
        return server;
    }

    /**
     * Starts a broker whose client port is a SASL_SSL listener (TLS with a self-signed certificate,
     * SCRAM-SHA-512 logins) in {@code <runDir>/<name>}, with {@code user} created at format time;
     * this object's own clients trust {@link #caCertificate()} and log in as that user.
     */
    static KafkaTestServer startScram(Path runDir, String name, String user, String password) {
        Path dir = runDir.resolve(name);
        Path passwordFile = runDir.resolve(name + "-password");
        try {
            Files.createDirectories(runDir);
            Files.writeString(passwordFile, password, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port =
                StackScripts.startOnFreePorts(
                        "Kafka (SASL/SCRAM)",
                        SCRIPT,
                        "--controller-port",
                        dir,
                        runDir.resolve(name + "-start.log"),
                        SCRIPT_TIMEOUT,
                        dir.resolve("logs").resolve("server.log"),
                        List.of(
                                "--scram-user",
                                user,
                                "--scram-password-file",
                                passwordFile.toString(),
                                "--tls"));
        KafkaTestServer server =
                new KafkaTestServer(
                        "127.0.0.1:" + port, dir, scramClient(user, password, caCertificate(dir)));
        try {
            server.checkReachable();
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
        return server;
    }

    /**
     * The certificate (PEM) a client of a {@link #startScram} broker trusts; fails for a broker
     * without TLS.
     */
    public Path caCertificate() {
        if (dir == null) {
            throw new IllegalStateException("an external broker: its certificate is not known");
        }
        return caCertificate(dir);
    }

    private static Path caCertificate(Path dir) {
        return dir.resolve("tls").resolve("ca.pem");
    }

    /**
     * The client settings that log in to a {@link #startScram} broker as {@code user}, trusting the
     * certificate in {@code caPem}.
     */
    public static Map<String, String> scramClient(String user, String password, Path caPem) {
        return Map.of(
                "security.protocol",
                "SASL_SSL",
                "ssl.truststore.type",
                "PEM",
                "ssl.truststore.location",
                caPem.toString(),
                "sasl.mechanism",
                SCRAM_MECHANISM,
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user
                        + "\" password=\""
                        + password
                        + "\";");
    }

    synchronized void stop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        if (dir != null) {
            StackScripts.stop(SCRIPT, dir);
        }
    }

    /** {@code "127.0.0.1:PORT"}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Sends records (key may be null, value null = tombstone) and waits until all are acked. */
    public void send(String topic, List<ProducerRecord<byte[], byte[]>> records) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            records.forEach(producer::send);
        }
    }

    /** Sends values without keys, in order. */
    public void sendValues(String topic, List<byte[]> values) {
        send(
                topic,
                values.stream().map(v -> new ProducerRecord<byte[], byte[]>(topic, v)).toList());
    }

    /**
     * Reads the committed records of {@code topic} from the start with a fresh group until at least
     * {@code atLeast} records came or {@code timeout} passed, and returns what came (the caller
     * checks the count). The job's Kafka sinks are transactional: their records show up here once
     * the checkpoint that covers them completed, and records of aborted transactions never.
     */
    public List<ConsumerRecord<byte[], byte[]>> read(String topic, int atLeast, Duration timeout) {
        return read(topic, atLeast, timeout, "read_committed");
    }

    /**
     * As {@link #read}, but every record in the log: also those of open and aborted transactions
     * (e.g. to see that a sink wrote something a failure then aborted).
     */
    public List<ConsumerRecord<byte[], byte[]>> readUncommitted(
            String topic, int atLeast, Duration timeout) {
        return read(topic, atLeast, timeout, "read_uncommitted");
    }

    private List<ConsumerRecord<byte[], byte[]>> read(
            String topic, int atLeast, Duration timeout, String isolation) {
        Properties p = readerProperties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < atLeast && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Everything committed on {@code topic} (as {@link #read}): reads until at least {@code
     * atLeast} records came (or {@code timeout} passed), then on to the end offsets of that moment,
     * so that records beyond the expected count are seen too.
     */
    public List<ConsumerRecord<byte[], byte[]>> readToEnd(
            String topic, int atLeast, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(readerProperties())) {
            List<org.apache.kafka.common.TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(
                                    i ->
                                            new org.apache.kafka.common.TopicPartition(
                                                    topic, i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < atLeast && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            // reading what is there may take long on a busy machine: a deadline of its own
            deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline
                    && end.entrySet().stream()
                            .anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
        }
        return out;
    }

    /** A consumer from the start in a fresh group that sees committed records only. */
    private Properties readerProperties() {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return p;
    }

    /**
     * Creates a topic named {@code prefix + "-" + random suffix} with the given partitions
     * (replication factor 1) and returns its name once every partition has a leader.
     */
    public String createTopic(String prefix, int partitions) {
        if (!VALID_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "not usable in a topic name: '" + prefix + "' (letters, digits, . _ -)");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
        }
        String topic =
                prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Admin admin = admin();
        try {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitLeaders(admin, topic, partitions);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot create topic " + topic + " on " + bootstrapServers, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        }
        return topic;
    }

    private static void awaitLeaders(Admin admin, String topic, int partitions)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
        while (true) {
            try {
                TopicDescription description =
                        admin.describeTopics(List.of(topic))
                                .allTopicNames()
                                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                                .get(topic);
                List<TopicPartitionInfo> infos = description.partitions();
                if (infos.size() == partitions
                        && infos.stream()
                                .allMatch(p -> p.leader() != null && p.leader().id() >= 0)) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(
                        "the partitions of " + topic + " have no leaders after " + ADMIN_TIMEOUT);
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
    }

    private void checkReachable() {
        try {
            admin().describeCluster().nodes().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " does not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reaching " + bootstrapServers, e);
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>(clientProperties);
            config.putAll(
                    Map.of(
                            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrapServers,
                            AdminClientConfig.CLIENT_ID_CONFIG,
                            "echolot-test-servers",
                            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                            15_000,
                            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                            30_000));
            admin = Admin.create(config);
        }
        return admin;
    }

    @Override
    public String toString() {
        return "KafkaTestServer["
                + bootstrapServers
                + (dir == null ? ", external" : ", " + dir)
                + "]";
    }
}
