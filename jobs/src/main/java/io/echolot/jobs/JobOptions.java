package io.echolot.jobs;

import io.echolot.detect.BaselineSettings;
import io.echolot.detect.SpikeSettings;
import io.echolot.index.IndexTopics;
import io.echolot.kafka.KafkaClientProperties;
import io.echolot.rules.BrandRules;
import io.echolot.rules.RulesException;
import io.echolot.sentiment.LexiconSentimentScorer;
import io.echolot.sentiment.ModelSentimentScorer;
import io.echolot.sentiment.SentimentScorer;
import io.echolot.sink.elasticsearch.SecretSource;
import io.echolot.sink.webhook.WebhookConfig;
import io.echolot.sink.webhook.WebhookConfigException;
import io.echolot.sink.webhook.WebhookDeadLetters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.util.ParameterTool;
import org.apache.flink.util.TimeUtils;

/**
 * The flags of the mention analytics job, read with {@link ParameterTool} and checked up front: a
 * wrong flag stops the job before it starts, with a message that says what to fix. Secrets are
 * never flags: they come from environment variables or files.
 */
public record JobOptions(
        String bootstrapServers,
        String mentionsTopic,
        String deadLetterTopic,
        String lateTopic,
        String alertsTopic,
        String groupId,
        String startingOffsets,
        List<String> esHosts,
        String esUsername,
        SecretSource esPassword,
        SecretSource esApiKey,
        String esCaCert,
        boolean esTlsInsecure,
        Duration checkpointInterval,
        int parallelism,
        PipelineSettings pipeline,
        WebhookConfig webhooks,
        String webhooksDeadLetterTopic,
        CareSettings care,
        IndexTopics indexTopics,
        KafkaSettings kafka) {

    public static final String BOOTSTRAP_SERVERS = "bootstrap-servers";
    public static final String MENTIONS_TOPIC = "mentions-topic";
    public static final String DEAD_LETTER_TOPIC = "dead-letter-topic";
    public static final String LATE_TOPIC = "late-topic";
    public static final String ALERTS_TOPIC = "alerts-topic";
    public static final String INDEX_TOPIC_PREFIX = "index-topic-prefix";
    public static final String RULES = "rules";
    public static final String SENTIMENT = "sentiment";
    public static final String GROUP_ID = "group-id";
    public static final String STARTING_OFFSETS = "starting-offsets";
    public static final String ES_HOSTS = "es-hosts";
    public static final String ES_USERNAME = "es-username";
    public static final String ES_PASSWORD_FILE = "es-password-file";
    public static final String ES_API_KEY_FILE = "es-api-key-file";
    public static final String ES_CA_CERT = "es-ca-cert";
    public static final String ES_TLS_INSECURE = "es-tls-insecure";
    public static final String WINDOW_SIZE = "window-size";
    public static final String ALLOWED_LATENESS = "allowed-lateness";
    public static final String OUT_OF_ORDERNESS = "out-of-orderness";
    public static final String IDLENESS = "idleness";
    public static final String MAX_EVENT_FUTURE = "max-event-future";
    public static final String MAX_EVENT_BYTES = "max-event-bytes";
    public static final String MAX_EVENT_AGE = "max-event-age";
    public static final String MAX_BRANDS = "max-brands";
    public static final String MAX_TOPICS = "max-topics";
    public static final String TOP_MENTIONS = "top-mentions";
    public static final String CHECKPOINT_INTERVAL = "checkpoint-interval";
    public static final String PARALLELISM = "parallelism";
    public static final String ALERT_COOLDOWN = "alert-cooldown";
    public static final String NEGATIVE_MIN_COUNT = "negative-min-count";
    public static final String NEGATIVE_MIN_LIFT = "negative-min-lift";
    public static final String NEGATIVE_MIN_Z = "negative-min-z";
    public static final String NEGATIVE_WINDOWS = "negative-windows";
    public static final String NEGATIVE_WITHIN = "negative-within";
    public static final String NEGATIVE_WARMUP = "negative-warmup-windows";
    public static final String EMERGING_WINDOW = "emerging-window";
    public static final String EMERGING_MIN_COUNT = "emerging-min-count";
    public static final String BASELINE_IDLE_TIMEOUT = "baseline-idle-timeout";
    public static final String ADVERSE_EVENT_TOPICS = "adverse-event-topics";
    public static final String DEDUP_WINDOW = "dedup-window";
    public static final String WEBHOOKS = "webhooks";
    public static final String WEBHOOKS_DLQ_TOPIC = "webhooks-dlq-topic";
    public static final String SPIKE_WARMUP = "spike-warmup";
    public static final String SPIKE_COOLDOWN = "spike-cooldown";
    public static final String SPIKE_EXTREME_P = "spike-extreme-p";
    public static final String SPIKE_RISING_P = "spike-rising-p";
    public static final String SPIKE_REPEATED_P = "spike-repeated-p";
    public static final String SPIKE_MIN_COUNT = "spike-min-count";
    public static final String SPIKE_MIN_RATIO = "spike-min-ratio";

    /** Tail probabilities of the spike patterns must lie in [this, {@link #MAX_SPIKE_P}]. */
    static final double MIN_SPIKE_P = 1e-300;

    static final double MAX_SPIKE_P = 0.01;
    public static final String CRM_TOPIC = "crm-topic";
    public static final String CARE_WINDOW = "care-window";
    public static final String CARE_RETENTION = "care-retention";
    public static final String KAFKA_PROPERTIES = "kafka-properties";
    public static final String TRANSACTIONAL_ID_PREFIX = "transactional-id-prefix";
    public static final String KAFKA_TRANSACTION_TIMEOUT = "kafka-transaction-timeout";

    /** Environment variables that carry Elasticsearch secrets. */
    public static final String ENV_ES_PASSWORD = "ECHOLOT_ES_PASSWORD";

    public static final String ENV_ES_API_KEY = "ECHOLOT_ES_API_KEY";

    private static final Set<String> KNOWN =
            Set.of(
                    BOOTSTRAP_SERVERS,
                    MENTIONS_TOPIC,
                    DEAD_LETTER_TOPIC,
                    LATE_TOPIC,
                    GROUP_ID,
                    STARTING_OFFSETS,
                    ES_HOSTS,
                    ES_USERNAME,
                    ES_PASSWORD_FILE,
                    ES_API_KEY_FILE,
                    ES_CA_CERT,
                    ES_TLS_INSECURE,
                    WINDOW_SIZE,
                    ALLOWED_LATENESS,
                    OUT_OF_ORDERNESS,
                    IDLENESS,
                    MAX_EVENT_FUTURE,
                    MAX_EVENT_BYTES,
                    MAX_EVENT_AGE,
                    MAX_BRANDS,
                    MAX_TOPICS,
                    TOP_MENTIONS,
                    CHECKPOINT_INTERVAL,
                    PARALLELISM,
                    ALERTS_TOPIC,
                    INDEX_TOPIC_PREFIX,
                    RULES,
                    SENTIMENT,
                    ALERT_COOLDOWN,
                    NEGATIVE_MIN_COUNT,
                    NEGATIVE_MIN_LIFT,
                    NEGATIVE_MIN_Z,
                    NEGATIVE_WINDOWS,
                    NEGATIVE_WITHIN,
                    NEGATIVE_WARMUP,
                    EMERGING_WINDOW,
                    EMERGING_MIN_COUNT,
                    BASELINE_IDLE_TIMEOUT,
                    ADVERSE_EVENT_TOPICS,
                    DEDUP_WINDOW,
                    WEBHOOKS,
                    WEBHOOKS_DLQ_TOPIC,
                    SPIKE_WARMUP,
                    SPIKE_COOLDOWN,
                    SPIKE_EXTREME_P,
                    SPIKE_RISING_P,
                    SPIKE_REPEATED_P,
                    SPIKE_MIN_COUNT,
                    SPIKE_MIN_RATIO,
                    CRM_TOPIC,
                    CARE_WINDOW,
                    CARE_RETENTION,
                    KAFKA_PROPERTIES,
                    TRANSACTIONAL_ID_PREFIX,
                    KAFKA_TRANSACTION_TIMEOUT);

    private static IndexTopics indexTopics(String prefix, List<String> problems) {
        try {
            return new IndexTopics(prefix);
        } catch (IllegalArgumentException e) {
            problems.add("--" + INDEX_TOPIC_PREFIX + ": " + e.getMessage());
            return new IndexTopics(IndexTopics.DEFAULT_PREFIX);
        }
    }

    private static SentimentScorer sentiment(String name, List<String> problems) {
        return switch (name) {
            case "lexicon" -> new LexiconSentimentScorer();
            case "model" -> new ModelSentimentScorer();
            default -> {
                problems.add("--" + SENTIMENT + " must be lexicon or model, got '" + name + "'");
                yield new LexiconSentimentScorer();
            }
        };
    }

    private static final Set<String> OFFSETS = Set.of("committed", "earliest", "latest");

    /**
     * Reads and checks the flags.
     *
     * @param env the process environment (for secrets)
     * @throws IllegalArgumentException naming each wrong flag and what it expects
     */
    public static JobOptions parse(String[] args, Map<String, String> env) {
        ParameterTool p;
        try {
            p = ParameterTool.fromArgs(args);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cannot read the flags " + Arrays.toString(args) + ": " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        Set<String> unknown = new TreeSet<>(p.toMap().keySet());
        unknown.removeAll(KNOWN);
        for (String u : unknown) {
            problems.add(
                    "unknown flag --"
                            + u
                            + " (known: --"
                            + String.join(", --", new TreeSet<>(KNOWN))
                            + ")");
        }
        Reader r = new Reader(p, problems);
        String offsets = r.string(STARTING_OFFSETS, "committed");
        if (!OFFSETS.contains(offsets)) {
            problems.add(
                    "--"
                            + STARTING_OFFSETS
                            + " must be one of "
                            + OFFSETS
                            + ", got '"
                            + offsets
                            + "'");
        }
        SecretSource password =
                secret(
                        env,
                        ENV_ES_PASSWORD,
                        r.string(ES_PASSWORD_FILE, null),
                        ES_PASSWORD_FILE,
                        problems);
        SecretSource apiKey =
                secret(
                        env,
                        ENV_ES_API_KEY,
                        r.string(ES_API_KEY_FILE, null),
                        ES_API_KEY_FILE,
                        problems);
        String username = r.string(ES_USERNAME, null);
        if (username != null && password == null) {
            problems.add(
                    "--"
                            + ES_USERNAME
                            + " needs a password: set "
                            + ENV_ES_PASSWORD
                            + " or --"
                            + ES_PASSWORD_FILE);
        }
        if (username != null && apiKey != null) {
            problems.add("use either basic auth (--" + ES_USERNAME + ") or an API key, not both");
        }
        List<String> hosts = new ArrayList<>();
        for (String h : r.string(ES_HOSTS, "http://localhost:9200").split(",")) {
            String host = h.trim();
            if (!host.matches("https?://[^/:\\s]+(:\\d{1,5})?/?")) {
                problems.add(
                        "--"
                                + ES_HOSTS
                                + " entries must look like http://host:9200 or https://host:9200, got '"
                                + host
                                + "'");
            }
            hosts.add(host.endsWith("/") ? host.substring(0, host.length() - 1) : host);
        }
        String caCert = r.string(ES_CA_CERT, null);
        if (caCert != null && !Files.isReadable(Path.of(caCert))) {
            problems.add("--" + ES_CA_CERT + " " + caCert + " is not a readable file");
        }
        PipelineSettings pipeline =
                new PipelineSettings(
                        r.positiveDuration(WINDOW_SIZE, "1 min"),
                        r.duration(ALLOWED_LATENESS, "5 min"),
                        r.duration(OUT_OF_ORDERNESS, "30 s"),
                        r.positiveDuration(IDLENESS, "1 min"),
                        r.duration(MAX_EVENT_FUTURE, "10 min"),
                        r.positiveDuration(MAX_EVENT_AGE, "7 d"),
                        r.integer(MAX_EVENT_BYTES, 131_072, 1_024, 16 * 1024 * 1024),
                        // the event schema allows 64 of each; the rules may add more
                        r.integer(MAX_BRANDS, 10, 1, 1_000),
                        r.integer(MAX_TOPICS, 20, 1, 1_000),
                        r.integer(TOP_MENTIONS, 5, 0, 100),
                        r.positiveDuration(DEDUP_WINDOW, "24 h"),
                        new DetectionSettings(
                                r.positiveDuration(ALERT_COOLDOWN, "30 min"),
                                r.integer(NEGATIVE_MIN_COUNT, 10, 1, 1_000_000),
                                r.decimal(NEGATIVE_MIN_LIFT, 1.5, 1.0, 100.0),
                                r.decimal(NEGATIVE_MIN_Z, 3.0, 0.1, 100.0),
                                r.integer(NEGATIVE_WINDOWS, 1, 1, 1000),
                                r.positiveDuration(NEGATIVE_WITHIN, "10 min"),
                                r.integer(NEGATIVE_WARMUP, 10, 0, 100_000),
                                r.positiveDuration(BASELINE_IDLE_TIMEOUT, "7 d"),
                                Set.of(
                                        r.string(ADVERSE_EVENT_TOPICS, "nebenwirkung")
                                                .split("\\s*,\\s*")),
                                spike(r),
                                r.positiveDuration(EMERGING_WINDOW, "15 min"),
                                r.integer(EMERGING_MIN_COUNT, 5, 1, 1_000_000)),
                        rules(r.string(RULES, null), problems),
                        Clock.systemUTC(),
                        sentiment(r.string(SENTIMENT, "lexicon"), problems));
        String groupId = r.string(GROUP_ID, "echolot-mention-analytics");
        Duration checkpointInterval = r.positiveDuration(CHECKPOINT_INTERVAL, "30 s");
        JobOptions options =
                new JobOptions(
                        r.string(BOOTSTRAP_SERVERS, "localhost:9092"),
                        r.string(MENTIONS_TOPIC, "echolot.mentions"),
                        r.string(DEAD_LETTER_TOPIC, "echolot.mentions.dlq"),
                        r.string(LATE_TOPIC, "echolot.mentions.late"),
                        r.string(ALERTS_TOPIC, "echolot.alerts"),
                        groupId,
                        offsets,
                        List.copyOf(hosts),
                        username,
                        password,
                        apiKey,
                        caCert,
                        r.bool(ES_TLS_INSECURE),
                        checkpointInterval,
                        r.integer(PARALLELISM, 0, 0, 4096),
                        pipeline,
                        webhooks(r.string(WEBHOOKS, null), env, problems),
                        r.string(WEBHOOKS_DLQ_TOPIC, WebhookDeadLetters.DEFAULT_TOPIC),
                        new CareSettings(
                                r.string(CRM_TOPIC, null),
                                r.positiveDuration(CARE_WINDOW, "1 h"),
                                r.positiveDuration(CARE_RETENTION, "7 d")),
                        indexTopics(
                                r.string(INDEX_TOPIC_PREFIX, IndexTopics.DEFAULT_PREFIX), problems),
                        kafka(r, groupId, checkpointInterval, problems));
        if (pipeline.maxEventAge().compareTo(pipeline.allowedLateness()) <= 0) {
            // else mentions the windows would still take are set aside before they get there
            problems.add(
                    "--"
                            + MAX_EVENT_AGE
                            + " must be longer than --"
                            + ALLOWED_LATENESS
                            + " ("
                            + pipeline.allowedLateness()
                            + "), got "
                            + pipeline.maxEventAge());
        }
        if (options.care().crmTopic() != null && pipeline.rules() == null) {
            problems.add(
                    "--"
                            + CRM_TOPIC
                            + " needs --"
                            + RULES
                            + ": customer care reads the brand accounts and SLAs from the rules");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "the job cannot start, fix these flags:\n  - "
                            + String.join("\n  - ", problems));
        }
        return options;
    }

    /**
     * The spike detection: the defaults of {@link SpikeSettings#defaults()} with the warm-up,
     * cooldown and pattern thresholds from the flags. The warm-up is event time a (brand, topic)
     * must have been seen for before it can spike; with short windows (e.g. 15 s in a demo) a
     * warm-up of minutes means the baseline rests on a few dozen windows and has not seen the key's
     * daily or weekly rhythm yet, so the first busy hour of a real brand can look like a spike.
     * Keep the one-day default in production.
     */
    private static SpikeSettings spike(Reader r) {
        int problemsBefore = r.problems().size();
        Duration warmUp = r.duration(SPIKE_WARMUP, "1 d");
        double extreme =
                r.decimal(SPIKE_EXTREME_P, SpikeSettings.EXTREME_TAIL, MIN_SPIKE_P, MAX_SPIKE_P);
        double rising =
                r.decimal(SPIKE_RISING_P, SpikeSettings.RISING_TAIL, MIN_SPIKE_P, MAX_SPIKE_P);
        double repeated =
                r.decimal(SPIKE_REPEATED_P, SpikeSettings.REPEATED_TAIL, MIN_SPIKE_P, MAX_SPIKE_P);
        int minCount = r.integer(SPIKE_MIN_COUNT, (int) SpikeSettings.MIN_COUNT, 1, 1_000_000);
        double minRatio = r.decimal(SPIKE_MIN_RATIO, SpikeSettings.MIN_RATIO, 1.0, 1000.0);
        Duration cooldown = r.positiveDuration(SPIKE_COOLDOWN, "24 h");
        if (r.problems().size() > problemsBefore) {
            // the job will not start; the defaults only keep the settings constructible
            return SpikeSettings.defaults();
        }
        BaselineSettings d = BaselineSettings.defaults();
        BaselineSettings baseline =
                new BaselineSettings(
                        warmUp,
                        d.levelHalfLife(),
                        d.seasonHalfLife(),
                        d.dispersionHalfLife(),
                        d.clipSigmas(),
                        d.calibrationHalfLife(),
                        d.idleTimeout());
        return SpikeSettings.standard(
                baseline, extreme, rising, repeated, minCount, minRatio, cooldown);
    }

    /**
     * The Kafka client properties and the exactly-once settings. The transaction timeout must
     * outlast a checkpoint interval, else the broker aborts the transactions the next checkpoint
     * would commit; above the brokers' {@code transaction.max.timeout.ms} the sinks cannot start.
     */
    private static KafkaSettings kafka(
            Reader r, String groupId, Duration checkpointInterval, List<String> problems) {
        String file = r.string(KAFKA_PROPERTIES, null);
        KafkaClientProperties client = KafkaClientProperties.none();
        if (file != null) {
            try {
                client = KafkaClientProperties.load(Path.of(file));
            } catch (IllegalArgumentException e) {
                problems.add("--" + KAFKA_PROPERTIES + ": " + e.getMessage());
            }
        }
        Duration timeout = r.positiveDuration(KAFKA_TRANSACTION_TIMEOUT, "14 min");
        if (timeout.compareTo(checkpointInterval) <= 0) {
            problems.add(
                    "--"
                            + KAFKA_TRANSACTION_TIMEOUT
                            + " must be longer than --"
                            + CHECKPOINT_INTERVAL
                            + " ("
                            + checkpointInterval
                            + "), got "
                            + timeout);
        }
        return new KafkaSettings(client, r.string(TRANSACTIONAL_ID_PREFIX, groupId), timeout);
    }

    private static BrandRules rules(String file, List<String> problems) {
        if (file == null) {
            return null;
        }
        try {
            return BrandRules.load(Path.of(file));
        } catch (RulesException e) {
            problems.add("--" + RULES + " " + file + ": " + String.join("; ", e.problems()));
            return null;
        } catch (RuntimeException e) {
            problems.add("--" + RULES + " " + file + " cannot be read: " + e.getMessage());
            return null;
        }
    }

    private static WebhookConfig webhooks(
            String file, Map<String, String> env, List<String> problems) {
        if (file == null) {
            return null;
        }
        try {
            return WebhookConfig.load(Path.of(file), env);
        } catch (WebhookConfigException e) {
            problems.add("--" + WEBHOOKS + " " + file + ": " + String.join("; ", e.problems()));
            return null;
        }
    }

    /**
     * Where a secret is read from: the file flag, else the environment variable when it is set.
     * Only checked here (so that a missing secret stops the job before it is submitted); the
     * TaskManager reads it again, so the value never enters the job graph.
     */
    private static SecretSource secret(
            Map<String, String> env, String var, String file, String flag, List<String> problems) {
        SecretSource source;
        if (file != null) {
            source = SecretSource.file(file);
        } else {
            String v = env.get(var);
            if (v == null || v.isBlank()) {
                return null;
            }
            source = SecretSource.env(var);
        }
        try {
            source.check(env);
        } catch (IllegalStateException e) {
            problems.add("--" + flag + ": " + e.getMessage());
            return null;
        }
        return source;
    }

    @Override
    public String toString() {
        // never print secrets
        return "JobOptions[bootstrapServers="
                + bootstrapServers
                + ", mentionsTopic="
                + mentionsTopic
                + ", kafkaClient="
                + kafka.client()
                + ", esHosts="
                + esHosts
                + ", esAuth="
                + (esApiKey != null ? "api-key" : esUsername != null ? "basic" : "none")
                + ", pipeline="
                + pipeline
                + ", webhooks="
                + (webhooks == null ? "none" : webhooks.endpoints())
                + "]";
    }

    /** Reads typed flags, collecting problems instead of stopping at the first. */
    private record Reader(ParameterTool p, List<String> problems) {

        String string(String name, String dflt) {
            String v = p.get(name, dflt);
            if (v != null && (v.isBlank() || v.equals("__NO_VALUE_KEY"))) {
                problems.add("--" + name + " needs a value");
                return dflt;
            }
            return v;
        }

        boolean bool(String name) {
            if (!p.has(name)) {
                return false;
            }
            String v = p.get(name);
            if (v == null || v.equals("__NO_VALUE_KEY") || v.equals("true")) {
                return true;
            }
            if (v.equals("false")) {
                return false;
            }
            problems.add("--" + name + " is true or false, got '" + v + "'");
            return false;
        }

        Duration duration(String name, String dflt) {
            String v = string(name, dflt);
            try {
                Duration d = TimeUtils.parseDuration(v);
                if (d.isNegative()) {
                    problems.add("--" + name + " must not be negative, got '" + v + "'");
                }
                return d;
            } catch (RuntimeException e) {
                problems.add(
                        "--"
                                + name
                                + " is a duration like '30 s', '5 min' or '1 h', got '"
                                + v
                                + "'");
                return TimeUtils.parseDuration(dflt);
            }
        }

        Duration positiveDuration(String name, String dflt) {
            Duration d = duration(name, dflt);
            if (d.isZero()) {
                problems.add("--" + name + " must be longer than zero");
            }
            return d;
        }

        double decimal(String name, double dflt, double min, double max) {
            String v = string(name, Double.toString(dflt));
            try {
                double d = Double.parseDouble(v.trim());
                if (!(d >= min && d <= max)) {
                    problems.add(
                            "--" + name + " must be between " + min + " and " + max + ", got " + v);
                }
                return d;
            } catch (NumberFormatException e) {
                problems.add("--" + name + " is a number, got '" + v + "'");
                return dflt;
            }
        }

        int integer(String name, int dflt, int min, int max) {
            String v = string(name, Integer.toString(dflt));
            try {
                int i = Integer.parseInt(v.trim());
                if (i < min || i > max) {
                    problems.add(
                            "--" + name + " must be between " + min + " and " + max + ", got " + i);
                }
                return i;
            } catch (NumberFormatException e) {
                problems.add("--" + name + " is a whole number, got '" + v + "'");
                return dflt;
            }
        }
    }
}
