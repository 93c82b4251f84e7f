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
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.util.ParameterTool;
import org.apache.flink.util.TimeUtils;

/**
 * The flags of the jobs, declared in {@link JobFlags}, read with {@link ParameterTool} and checked
 * up front: a wrong flag stops the job before it starts, with a message that says what to fix.
 * Secrets are never flags: they come from environment variables or files.
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

    /** Tail probabilities of the spike patterns must lie in [this, {@link #MAX_SPIKE_P}]. */
    static final double MIN_SPIKE_P = 1e-300;

    static final double MAX_SPIKE_P = 0.01;

    /** Environment variables that carry Elasticsearch secrets. */
    public static final String ENV_ES_PASSWORD = "ECHOLOT_ES_PASSWORD";

    public static final String ENV_ES_API_KEY = "ECHOLOT_ES_API_KEY";

    private static IndexTopics indexTopics(String prefix, List<String> problems) {
        try {
            return new IndexTopics(prefix);
        } catch (IllegalArgumentException e) {
            problems.add("--" + JobFlags.INDEX_TOPIC_PREFIX.key() + ": " + e.getMessage());
            return new IndexTopics(IndexTopics.DEFAULT_PREFIX);
        }
    }

    private static SentimentScorer sentiment(String name, List<String> problems) {
        return switch (name) {
            case "lexicon" -> new LexiconSentimentScorer();
            case "model" -> new ModelSentimentScorer();
            default -> {
                problems.add(
                        "--"
                                + JobFlags.SENTIMENT.key()
                                + " must be lexicon or model, got '"
                                + name
                                + "'");
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
        unknown.removeAll(JobFlags.names());
        for (String u : unknown) {
            String near = nearest(u, JobFlags.names());
            problems.add(
                    "unknown flag --"
                            + u
                            + (near == null ? "" : ", did you mean --" + near + "?")
                            + " (--help lists every flag)");
        }
        Reader r = new Reader(p, problems);
        String offsets = r.string(JobFlags.STARTING_OFFSETS);
        if (!OFFSETS.contains(offsets)) {
            problems.add(
                    "--"
                            + JobFlags.STARTING_OFFSETS.key()
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
                        r.string(JobFlags.ES_PASSWORD_FILE),
                        JobFlags.ES_PASSWORD_FILE.key(),
                        problems);
        SecretSource apiKey =
                secret(
                        env,
                        ENV_ES_API_KEY,
                        r.string(JobFlags.ES_API_KEY_FILE),
                        JobFlags.ES_API_KEY_FILE.key(),
                        problems);
        String username = r.string(JobFlags.ES_USERNAME);
        if (username != null && password == null) {
            problems.add(
                    "--"
                            + JobFlags.ES_USERNAME.key()
                            + " needs a password: set "
                            + ENV_ES_PASSWORD
                            + " or --"
                            + JobFlags.ES_PASSWORD_FILE.key());
        }
        if (username != null && apiKey != null) {
            problems.add(
                    "use either basic auth (--"
                            + JobFlags.ES_USERNAME.key()
                            + ") or an API key, not both");
        }
        List<String> hosts = new ArrayList<>();
        for (String h : r.string(JobFlags.ES_HOSTS).split(",")) {
            String host = h.trim();
            if (!host.matches("https?://[^/:\\s]+(:\\d{1,5})?/?")) {
                problems.add(
                        "--"
                                + JobFlags.ES_HOSTS.key()
                                + " entries must look like http://host:9200 or https://host:9200, got '"
                                + host
                                + "'");
            }
            hosts.add(host.endsWith("/") ? host.substring(0, host.length() - 1) : host);
        }
        String caCert = r.string(JobFlags.ES_CA_CERT);
        if (caCert != null && !Files.isReadable(Path.of(caCert))) {
            problems.add(
                    "--" + JobFlags.ES_CA_CERT.key() + " " + caCert + " is not a readable file");
        }
        PipelineSettings pipeline =
                new PipelineSettings(
                        r.positiveDuration(JobFlags.WINDOW_SIZE),
                        r.duration(JobFlags.ALLOWED_LATENESS),
                        r.duration(JobFlags.OUT_OF_ORDERNESS),
                        r.positiveDuration(JobFlags.IDLENESS),
                        r.duration(JobFlags.MAX_EVENT_FUTURE),
                        r.positiveDuration(JobFlags.MAX_EVENT_AGE),
                        r.integer(JobFlags.MAX_EVENT_BYTES, 1_024, 16 * 1024 * 1024),
                        // the event schema allows 64 of each; the rules may add more
                        r.integer(JobFlags.MAX_BRANDS, 1, 1_000),
                        r.integer(JobFlags.MAX_TOPICS, 1, 1_000),
                        r.integer(JobFlags.TOP_MENTIONS, 0, 100),
                        r.positiveDuration(JobFlags.DEDUP_WINDOW),
                        new DetectionSettings(
                                r.positiveDuration(JobFlags.ALERT_COOLDOWN),
                                r.integer(JobFlags.NEGATIVE_MIN_COUNT, 1, 1_000_000),
                                r.decimal(JobFlags.NEGATIVE_MIN_LIFT, 1.0, 100.0),
                                r.decimal(JobFlags.NEGATIVE_MIN_Z, 0.1, 100.0),
                                r.integer(JobFlags.NEGATIVE_WINDOWS, 1, 1000),
                                r.positiveDuration(JobFlags.NEGATIVE_WITHIN),
                                r.integer(JobFlags.NEGATIVE_WARMUP, 0, 100_000),
                                r.positiveDuration(JobFlags.BASELINE_IDLE_TIMEOUT),
                                Set.of(r.string(JobFlags.ADVERSE_EVENT_TOPICS).split("\\s*,\\s*")),
                                spike(r),
                                r.positiveDuration(JobFlags.EMERGING_WINDOW),
                                r.integer(JobFlags.EMERGING_MIN_COUNT, 1, 1_000_000)),
                        rules(r.string(JobFlags.RULES), problems),
                        Clock.systemUTC(),
                        sentiment(r.string(JobFlags.SENTIMENT), problems));
        String groupId = r.string(JobFlags.GROUP_ID);
        Duration checkpointInterval = r.positiveDuration(JobFlags.CHECKPOINT_INTERVAL);
        JobOptions options =
                new JobOptions(
                        r.string(JobFlags.BOOTSTRAP_SERVERS),
                        r.string(JobFlags.MENTIONS_TOPIC),
                        r.string(JobFlags.DEAD_LETTER_TOPIC),
                        r.string(JobFlags.LATE_TOPIC),
                        r.string(JobFlags.ALERTS_TOPIC),
                        groupId,
                        offsets,
                        List.copyOf(hosts),
                        username,
                        password,
                        apiKey,
                        caCert,
                        r.bool(JobFlags.ES_TLS_INSECURE),
                        checkpointInterval,
                        r.integerOrElse(JobFlags.PARALLELISM, 0, 0, 4096),
                        pipeline,
                        webhooks(r.string(JobFlags.WEBHOOKS), env, problems),
                        r.string(JobFlags.WEBHOOKS_DLQ_TOPIC),
                        new CareSettings(
                                r.string(JobFlags.CRM_TOPIC),
                                r.positiveDuration(JobFlags.CARE_WINDOW),
                                r.positiveDuration(JobFlags.CARE_RETENTION)),
                        indexTopics(r.string(JobFlags.INDEX_TOPIC_PREFIX), problems),
                        kafka(r, groupId, checkpointInterval, problems));
        if (pipeline.maxEventAge().compareTo(pipeline.allowedLateness()) <= 0) {
            // else mentions the windows would still take are set aside before they get there
            problems.add(
                    "--"
                            + JobFlags.MAX_EVENT_AGE.key()
                            + " must be longer than --"
                            + JobFlags.ALLOWED_LATENESS.key()
                            + " ("
                            + pipeline.allowedLateness()
                            + "), got "
                            + pipeline.maxEventAge());
        }
        if (options.care().crmTopic() != null && pipeline.rules() == null) {
            problems.add(
                    "--"
                            + JobFlags.CRM_TOPIC.key()
                            + " needs --"
                            + JobFlags.RULES.key()
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
     * The known flag a mistyped one most likely meant: the one that contains it or is contained in
     * it, else the one within two edits; null when none is that close.
     */
    static String nearest(String unknown, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d =
                    unknown.length() >= 4 && (k.contains(unknown) || unknown.contains(k))
                            ? 0
                            : editDistance(unknown, k);
            if (d <= 2 && d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
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
        Duration warmUp = r.duration(JobFlags.SPIKE_WARMUP);
        double extreme = r.decimal(JobFlags.SPIKE_EXTREME_P, MIN_SPIKE_P, MAX_SPIKE_P);
        double rising = r.decimal(JobFlags.SPIKE_RISING_P, MIN_SPIKE_P, MAX_SPIKE_P);
        double repeated = r.decimal(JobFlags.SPIKE_REPEATED_P, MIN_SPIKE_P, MAX_SPIKE_P);
        int minCount = r.integer(JobFlags.SPIKE_MIN_COUNT, 1, 1_000_000);
        double minRatio = r.decimal(JobFlags.SPIKE_MIN_RATIO, 1.0, 1000.0);
        Duration cooldown = r.positiveDuration(JobFlags.SPIKE_COOLDOWN);
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
        String file = r.string(JobFlags.KAFKA_PROPERTIES);
        KafkaClientProperties client = KafkaClientProperties.none();
        if (file != null) {
            try {
                client = KafkaClientProperties.load(Path.of(file));
            } catch (IllegalArgumentException e) {
                problems.add("--" + JobFlags.KAFKA_PROPERTIES.key() + ": " + e.getMessage());
            }
        }
        Duration timeout = r.positiveDuration(JobFlags.KAFKA_TRANSACTION_TIMEOUT);
        if (timeout.compareTo(checkpointInterval) <= 0) {
            problems.add(
                    "--"
                            + JobFlags.KAFKA_TRANSACTION_TIMEOUT.key()
                            + " must be longer than --"
                            + JobFlags.CHECKPOINT_INTERVAL.key()
                            + " ("
                            + checkpointInterval
                            + "), got "
                            + timeout);
        }
        String prefix = r.string(JobFlags.TRANSACTIONAL_ID_PREFIX);
        return new KafkaSettings(client, prefix == null ? groupId : prefix, timeout);
    }

    private static BrandRules rules(String file, List<String> problems) {
        if (file == null) {
            return null;
        }
        try {
            return BrandRules.load(Path.of(file));
        } catch (RulesException e) {
            problems.add(
                    "--"
                            + JobFlags.RULES.key()
                            + " "
                            + file
                            + ": "
                            + String.join("; ", e.problems()));
            return null;
        } catch (RuntimeException e) {
            problems.add(
                    "--"
                            + JobFlags.RULES.key()
                            + " "
                            + file
                            + " cannot be read: "
                            + e.getMessage());
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
            problems.add(
                    "--"
                            + JobFlags.WEBHOOKS.key()
                            + " "
                            + file
                            + ": "
                            + String.join("; ", e.problems()));
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

    /**
     * Reads typed flags by their declaration (name and default), collecting problems instead of
     * stopping at the first. Its own parsing rather than Flink's conversion, for messages that say
     * what the flag expects.
     */
    private record Reader(ParameterTool p, List<String> problems) {

        /** The flag's value, else its default; null for a flag without default that is not set. */
        String string(ConfigOption<?> flag) {
            String name = flag.key();
            String dflt = flag.hasDefaultValue() ? JobFlags.defaultText(flag) : null;
            String v = p.get(name, dflt);
            if (v != null && (v.isBlank() || v.equals("__NO_VALUE_KEY"))) {
                problems.add("--" + name + " needs a value");
                return dflt;
            }
            return v;
        }

        boolean bool(ConfigOption<Boolean> flag) {
            String name = flag.key();
            if (!p.has(name)) {
                return flag.defaultValue();
            }
            String v = p.get(name);
            if (v == null || v.equals("__NO_VALUE_KEY") || v.equals("true")) {
                return true;
            }
            if (v.equals("false")) {
                return false;
            }
            problems.add("--" + name + " is true or false, got '" + v + "'");
            return flag.defaultValue();
        }

        Duration duration(ConfigOption<Duration> flag) {
            String name = flag.key();
            String v = p.get(name);
            if (v == null) {
                return flag.defaultValue();
            }
            if (v.isBlank() || v.equals("__NO_VALUE_KEY")) {
                problems.add("--" + name + " needs a value");
                return flag.defaultValue();
            }
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
                return flag.defaultValue();
            }
        }

        Duration positiveDuration(ConfigOption<Duration> flag) {
            Duration d = duration(flag);
            if (d.isZero()) {
                problems.add("--" + flag.key() + " must be longer than zero");
            }
            return d;
        }

        double decimal(ConfigOption<Double> flag, double min, double max) {
            String name = flag.key();
            String v = string(flag);
            try {
                double d = Double.parseDouble(v.trim());
                if (!(d >= min && d <= max)) {
                    problems.add(
                            "--" + name + " must be between " + min + " and " + max + ", got " + v);
                }
                return d;
            } catch (NumberFormatException e) {
                problems.add("--" + name + " is a number, got '" + v + "'");
                return flag.defaultValue();
            }
        }

        int integer(ConfigOption<Integer> flag, int min, int max) {
            return integerOrElse(flag, flag.defaultValue(), min, max);
        }

        /** For a flag whose absence means something else than a number, e.g. the cluster's. */
        int integerOrElse(ConfigOption<Integer> flag, int whenUnset, int min, int max) {
            String name = flag.key();
            String v = string(flag);
            if (v == null) {
                return whenUnset;
            }
            try {
                int i = Integer.parseInt(v.trim());
                if (i < min || i > max) {
                    problems.add(
                            "--" + name + " must be between " + min + " and " + max + ", got " + i);
                }
                return i;
            } catch (NumberFormatException e) {
                problems.add("--" + name + " is a whole number, got '" + v + "'");
                return whenUnset;
            }
        }
    }
}
