package io.echolot.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;

/**
 * Kafka client settings an operator adds to every client of the job (TLS, SASL, timeouts), read
 * from a Java properties file and checked up front.
 *
 * <p>Values may hold {@code ${env:NAME}} and {@code ${file:/absolute/path}} placeholders. They stay
 * placeholders here, in the job graph and in every checkpoint: each Kafka client resolves them
 * itself when it is created (on the TaskManagers, and on the JobManager for the source's
 * enumerator) through {@link EnvSecretProvider} and {@link FileSecretProvider}, which this class
 * registers as Kafka config providers {@code env} and {@code file}.
 *
 * <p>Settings echolot sets itself (bootstrap servers, serializers, group and transactional ids,
 * idempotence, offsets) and settings no Kafka client knows are refused with what to do instead.
 */
public final class KafkaClientProperties implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Reserved settings and the fix the message names. */
    static final Map<String, String> RESERVED =
            Map.ofEntries(
                    Map.entry("bootstrap.servers", "use the flag --bootstrap-servers"),
                    Map.entry("group.id", "use the flag --group-id"),
                    Map.entry(
                            "group.instance.id",
                            "Flink assigns the partitions itself, consumer groups only hold offsets"),
                    Map.entry("transactional.id", "use the flag --transactional-id-prefix"),
                    Map.entry("transaction.timeout.ms", "use the flag --kafka-transaction-timeout"),
                    Map.entry("key.serializer", "echolot sets the serializers"),
                    Map.entry("value.serializer", "echolot sets the serializers"),
                    Map.entry("key.deserializer", "echolot sets the deserializers"),
                    Map.entry("value.deserializer", "echolot sets the deserializers"),
                    Map.entry(
                            "enable.idempotence",
                            "echolot's producers are idempotent with acks=all, which exactly-once"
                                    + " and the dead-letter producers need"),
                    Map.entry(
                            "acks",
                            "echolot's producers are idempotent with acks=all, which exactly-once"
                                    + " and the dead-letter producers need"),
                    Map.entry(
                            "enable.auto.commit",
                            "offsets are committed on checkpoints; use --starting-offsets"),
                    Map.entry("auto.offset.reset", "use the flag --starting-offsets"),
                    Map.entry("client.id", "echolot names each client itself"),
                    Map.entry(
                            AbstractConfig.CONFIG_PROVIDERS_CONFIG,
                            "echolot registers the providers for ${env:NAME} and ${file:/path}"));

    /** What a value may reference: only the two providers echolot registers. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final Set<String> KNOWN = known();

    private final TreeMap<String, String> settings;

    private KafkaClientProperties(Map<String, String> settings) {
        this.settings = new TreeMap<>(settings);
    }

    /** No extra settings: plaintext Kafka without authentication. */
    public static KafkaClientProperties none() {
        return new KafkaClientProperties(Map.of());
    }

    /**
     * Reads and checks {@code file}.
     *
     * @throws IllegalArgumentException listing every problem with what to fix
     */
    public static KafkaClientProperties load(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " cannot be read: " + e.getMessage());
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k.strip(), p.getProperty(k).strip()));
        return of(m, file.toString());
    }

    /**
     * Checks {@code settings}; {@code source} names them in messages.
     *
     * @throws IllegalArgumentException listing every problem with what to fix
     */
    public static KafkaClientProperties of(Map<String, String> settings, String source) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
            String key = e.getKey();
            String reserved = reservedFix(key);
            if (reserved != null) {
                problems.add(
                        key
                                + " is set by echolot: remove it from "
                                + source
                                + " ("
                                + reserved
                                + ")");
            } else if (!KNOWN.contains(key)) {
                problems.add(
                        key
                                + " is not a setting of Kafka's producer, consumer or admin"
                                + " client: remove it from "
                                + source
                                + " or fix its spelling");
            }
            checkPlaceholders(key, e.getValue(), problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "Kafka client properties " + source + ": " + String.join("; ", problems));
        }
        return new KafkaClientProperties(settings);
    }

    private static String reservedFix(String key) {
        if (key.startsWith(AbstractConfig.CONFIG_PROVIDERS_CONFIG + ".")) {
            return RESERVED.get(AbstractConfig.CONFIG_PROVIDERS_CONFIG);
        }
        return RESERVED.get(key);
    }

    private static void checkPlaceholders(String key, String value, List<String> problems) {
        Matcher m = PLACEHOLDER.matcher(value);
        while (m.find()) {
            String ref = m.group(1);
            // the reference is named, never the value around it: it may hold a clear-text secret
            if (ref.startsWith("env:")) {
                String name = ref.substring(4);
                if (!ENV_NAME.matcher(name).matches()) {
                    problems.add(key + ": ${" + ref + "} does not name an environment variable");
                }
            } else if (ref.startsWith("file:")) {
                String path = ref.substring(5);
                if (!path.startsWith("/") || path.contains(":")) {
                    problems.add(
                            key
                                    + ": ${"
                                    + ref
                                    + "} needs an absolute path without ':' (e.g."
                                    + " ${file:/etc/echolot/kafka-password})");
                }
            } else {
                problems.add(
                        key
                                + ": ${"
                                + ref
                                + "} is not supported; use ${env:NAME} or ${file:/absolute/path}");
            }
        }
    }

    private static Set<String> known() {
        Set<String> known = new TreeSet<>(ProducerConfig.configNames());
        known.addAll(ConsumerConfig.configNames());
        known.addAll(AdminClientConfig.configNames());
        return Collections.unmodifiableSet(known);
    }

    /** The settings as read (placeholders unresolved). */
    public Map<String, String> settings() {
        return Collections.unmodifiableMap(settings);
    }

    public boolean isEmpty() {
        return settings.isEmpty();
    }

    /**
     * The settings a producer knows, plus the config providers; for a Flink {@code KafkaSink} and
     * echolot's dead-letter producers.
     */
    public Map<String, String> forProducer() {
        return select(ProducerConfig.configNames());
    }

    /**
     * The settings a consumer or an admin client knows (a Kafka source uses both), plus the config
     * providers.
     */
    public Map<String, String> forConsumer() {
        Set<String> names = new TreeSet<>(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return select(names);
    }

    /** {@link #forProducer()} plus {@code extra} (e.g. {@code bootstrap.servers}). */
    public Map<String, String> forProducer(Map<String, String> extra) {
        Map<String, String> m = new TreeMap<>(forProducer());
        m.putAll(extra);
        return m;
    }

    /** As {@link Properties}, for the Flink connector builders. */
    public static Properties toProperties(Map<String, String> settings) {
        Properties p = new Properties();
        p.putAll(settings);
        return p;
    }

    private Map<String, String> select(Set<String> names) {
        Map<String, String> m = new TreeMap<>();
        settings.forEach(
                (k, v) -> {
                    if (names.contains(k)) {
                        m.put(k, v);
                    }
                });
        if (!m.isEmpty()) {
            // a client without them would pass "${env:...}" to the broker as the password
            String providers = AbstractConfig.CONFIG_PROVIDERS_CONFIG;
            m.put(providers, EnvSecretProvider.ALIAS + "," + FileSecretProvider.ALIAS);
            m.put(
                    providers + "." + EnvSecretProvider.ALIAS + ".class",
                    EnvSecretProvider.class.getName());
            m.put(
                    providers + "." + FileSecretProvider.ALIAS + ".class",
                    FileSecretProvider.class.getName());
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaClientProperties k && k.settings.equals(settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    @Override
    public String toString() {
        // the keys only: values may be clear-text secrets
        return "KafkaClientProperties" + settings.keySet();
    }
}
