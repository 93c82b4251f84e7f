package io.echolot.jobs;

import static org.apache.flink.configuration.ConfigOptions.key;

import io.echolot.detect.BaselineSettings;
import io.echolot.detect.SpikeSettings;
import io.echolot.index.IndexTopics;
import io.echolot.sink.webhook.WebhookDeadLetters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;
import org.apache.flink.util.TimeUtils;

/**
 * The flags of the jobs, each declared once as a Flink {@link ConfigOption} (name, type, default,
 * description): {@link JobOptions} reads and checks them, {@code --help} prints them, and a test
 * holds the README's flag table to them. Declaring a flag here is all it takes for the jobs to
 * accept it; how its value is checked (ranges, files) stays with {@link JobOptions}.
 */
public final class JobFlags {

    // before the declarations: each one adds itself, in the order --help lists them
    private static final List<ConfigOption<?>> DECLARED = new ArrayList<>();

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            flag(
                    key("bootstrap-servers").stringType().defaultValue("localhost:9092"),
                    "Kafka brokers");
    public static final ConfigOption<String> MENTIONS_TOPIC =
            flag(
                    key("mentions-topic").stringType().defaultValue("echolot.mentions"),
                    "the input topic");
    public static final ConfigOption<String> DEAD_LETTER_TOPIC =
            flag(
                    key("dead-letter-topic").stringType().defaultValue("echolot.mentions.dlq"),
                    "malformed records and refused documents, with the reason");
    public static final ConfigOption<String> LATE_TOPIC =
            flag(
                    key("late-topic").stringType().defaultValue("echolot.mentions.late"),
                    "mentions too late for their window, or older than --max-event-age");
    public static final ConfigOption<String> ALERTS_TOPIC =
            flag(
                    key("alerts-topic").stringType().defaultValue("echolot.alerts"),
                    "every alert state");
    public static final ConfigOption<String> INDEX_TOPIC_PREFIX =
            flag(
                    key("index-topic-prefix").stringType().defaultValue(IndexTopics.DEFAULT_PREFIX),
                    "the index topics are this + .mentions, .aggregates, .alerts, .care;"
                            + " the indexing job reads them with the group"
                            + " <--group-id>-indexing");
    public static final ConfigOption<String> RULES =
            flag(
                    key("rules").stringType().noDefaultValue(),
                    "YAML brand and topic rules, read when the job is submitted");
    public static final ConfigOption<String> SENTIMENT =
            flag(
                    key("sentiment").stringType().defaultValue("lexicon"),
                    "scorer of mentions that arrive without a sentiment: lexicon (rules"
                            + " and word lists) or model (the learned scorer)");
    public static final ConfigOption<Duration> DEDUP_WINDOW =
            flag(
                    key("dedup-window").durationType().defaultValue(Duration.ofHours(24)),
                    "a mention id is let through once within this much event time");
    public static final ConfigOption<String> WEBHOOKS =
            flag(
                    key("webhooks").stringType().noDefaultValue(),
                    "YAML file of webhook endpoints for alerts (webhooks-v1.schema.json);"
                            + " none: no webhooks");
    public static final ConfigOption<String> WEBHOOKS_DLQ_TOPIC =
            flag(
                    key("webhooks-dlq-topic")
                            .stringType()
                            .defaultValue(WebhookDeadLetters.DEFAULT_TOPIC),
                    "alert states no endpoint would take, with the reason");
    public static final ConfigOption<String> ADVERSE_EVENT_TOPICS =
            flag(
                    key("adverse-event-topics").stringType().defaultValue("nebenwirkung"),
                    "comma-separated topics that make a pharma-brand mention an"
                            + " adverse-event alert");
    public static final ConfigOption<String> GROUP_ID =
            flag(
                    key("group-id").stringType().defaultValue("echolot-mention-analytics"),
                    "Kafka consumer group (offsets committed on checkpoints)");
    public static final ConfigOption<String> STARTING_OFFSETS =
            flag(
                    key("starting-offsets").stringType().defaultValue("committed"),
                    "committed (earliest when none), earliest or latest; a restore from a"
                            + " checkpoint or savepoint always wins");
    public static final ConfigOption<String> ES_HOSTS =
            flag(
                    key("es-hosts").stringType().defaultValue("http://localhost:9200"),
                    "comma-separated http(s)://host:port of Elasticsearch");
    public static final ConfigOption<String> ES_USERNAME =
            flag(
                    key("es-username").stringType().noDefaultValue(),
                    "basic auth; the password comes from --es-password-file or env "
                            + JobOptions.ENV_ES_PASSWORD
                            + " (the file wins), read on each TaskManager");
    public static final ConfigOption<String> ES_PASSWORD_FILE =
            flag(
                    key("es-password-file").stringType().noDefaultValue(),
                    "file holding the Elasticsearch password (surrounding whitespace"
                            + " stripped)");
    public static final ConfigOption<String> ES_API_KEY_FILE =
            flag(
                    key("es-api-key-file").stringType().noDefaultValue(),
                    "file holding the API key (encoded form), or env "
                            + JobOptions.ENV_ES_API_KEY
                            + "; read on the TaskManagers like the password");
    public static final ConfigOption<String> ES_CA_CERT =
            flag(
                    key("es-ca-cert").stringType().noDefaultValue(),
                    "PEM file of the CA that signed Elasticsearch's certificate");
    public static final ConfigOption<Boolean> ES_TLS_INSECURE =
            flag(
                    key("es-tls-insecure").booleanType().defaultValue(false),
                    "trust any certificate (testing only); the flag alone means true");
    public static final ConfigOption<Duration> WINDOW_SIZE =
            flag(
                    key("window-size").durationType().defaultValue(Duration.ofMinutes(1)),
                    "tumbling window");
    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            flag(
                    key("allowed-lateness").durationType().defaultValue(Duration.ofMinutes(5)),
                    "a late mention within this updates its window (same document id)");
    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            flag(
                    key("out-of-orderness").durationType().defaultValue(Duration.ofSeconds(30)),
                    "bounded out-of-orderness of the watermarks");
    public static final ConfigOption<Duration> IDLENESS =
            flag(
                    key("idleness").durationType().defaultValue(Duration.ofMinutes(1)),
                    "a partition without data for this long stops holding back event" + " time");
    public static final ConfigOption<Duration> MAX_EVENT_FUTURE =
            flag(
                    key("max-event-future").durationType().defaultValue(Duration.ofMinutes(10)),
                    "later created_at is refused (clock skew allowance)");
    public static final ConfigOption<Integer> MAX_EVENT_BYTES =
            flag(
                    key("max-event-bytes").intType().defaultValue(131_072),
                    "larger records are refused unread");
    public static final ConfigOption<Duration> MAX_EVENT_AGE =
            flag(
                    key("max-event-age").durationType().defaultValue(Duration.ofDays(7)),
                    "a mention whose created_at is older goes to the late topic and is"
                            + " not indexed; longer than --allowed-lateness; raise it for"
                            + " a backfill");
    public static final ConfigOption<Integer> MAX_BRANDS =
            flag(
                    key("max-brands").intType().defaultValue(10),
                    "a mention with more brands (its own and those the rules add) is a"
                            + " dead letter");
    public static final ConfigOption<Integer> MAX_TOPICS =
            flag(key("max-topics").intType().defaultValue(20), "... likewise for topics");
    public static final ConfigOption<Integer> TOP_MENTIONS =
            flag(key("top-mentions").intType().defaultValue(5), "top posts kept per window");
    public static final ConfigOption<Duration> ALERT_COOLDOWN =
            flag(
                    key("alert-cooldown").durationType().defaultValue(Duration.ofMinutes(30)),
                    "an alert resolves after this long without a new signal, and no"
                            + " sooner than its detector's next report could come");
    public static final ConfigOption<Integer> NEGATIVE_MIN_COUNT =
            flag(
                    key("negative-min-count").intType().defaultValue(10),
                    "negative mentions a burst window needs at least");
    public static final ConfigOption<Double> NEGATIVE_MIN_LIFT =
            flag(
                    key("negative-min-lift").doubleType().defaultValue(1.5),
                    "... and this multiple of the baseline negative share");
    public static final ConfigOption<Double> NEGATIVE_MIN_Z =
            flag(
                    key("negative-min-z").doubleType().defaultValue(3.0),
                    "... and this many binomial standard deviations above it");
    public static final ConfigOption<Integer> NEGATIVE_WINDOWS =
            flag(
                    key("negative-windows").intType().defaultValue(1),
                    "consecutive burst windows needed");
    public static final ConfigOption<Duration> NEGATIVE_WITHIN =
            flag(
                    key("negative-within").durationType().defaultValue(Duration.ofMinutes(10)),
                    "time bound of those windows");
    public static final ConfigOption<Integer> NEGATIVE_WARMUP =
            flag(
                    key("negative-warmup-windows").intType().defaultValue(10),
                    "windows of history a (brand, topic) needs before it can burst");
    public static final ConfigOption<Duration> EMERGING_WINDOW =
            flag(
                    key("emerging-window").durationType().defaultValue(Duration.ofMinutes(15)),
                    "the time a term no rule watches has to rise in, per brand, to be an"
                            + " emerging topic");
    public static final ConfigOption<Integer> EMERGING_MIN_COUNT =
            flag(
                    key("emerging-min-count").intType().defaultValue(5),
                    "original posts (of at least 3 authors) with that term an emerging"
                            + " topic needs at least");
    public static final ConfigOption<Duration> BASELINE_IDLE_TIMEOUT =
            flag(
                    key("baseline-idle-timeout").durationType().defaultValue(Duration.ofDays(7)),
                    "negative-share baselines of keys without windows for this long are"
                            + " dropped");
    public static final ConfigOption<Duration> SPIKE_WARMUP =
            flag(
                    key("spike-warmup")
                            .durationType()
                            .defaultValue(BaselineSettings.defaults().warmUp()),
                    "history a (brand, topic) needs before it can spike; keep a day in"
                            + " production");
    public static final ConfigOption<Duration> SPIKE_COOLDOWN =
            flag(
                    key("spike-cooldown").durationType().defaultValue(SpikeSettings.COOLDOWN),
                    "spike matches closer than this are one incident");
    public static final ConfigOption<Double> SPIKE_EXTREME_P =
            flag(
                    key("spike-extreme-p").doubleType().defaultValue(SpikeSettings.EXTREME_TAIL),
                    "tail probability of one extreme window, or of the key's hour or six"
                            + " hours so far");
    public static final ConfigOption<Double> SPIKE_RISING_P =
            flag(
                    key("spike-rising-p").doubleType().defaultValue(SpikeSettings.RISING_TAIL),
                    "... of each of three adjacent rising windows");
    public static final ConfigOption<Double> SPIKE_REPEATED_P =
            flag(
                    key("spike-repeated-p").doubleType().defaultValue(SpikeSettings.REPEATED_TAIL),
                    "... of each of two windows within 6 h");
    public static final ConfigOption<Integer> SPIKE_MIN_COUNT =
            flag(
                    key("spike-min-count").intType().defaultValue((int) SpikeSettings.MIN_COUNT),
                    "mentions every matched window (or the extreme hour or six-hour sum)"
                            + " needs at least");
    public static final ConfigOption<Double> SPIKE_MIN_RATIO =
            flag(
                    key("spike-min-ratio").doubleType().defaultValue(SpikeSettings.MIN_RATIO),
                    "... and this multiple of the expected count");
    public static final ConfigOption<String> CRM_TOPIC =
            flag(
                    key("crm-topic").stringType().noDefaultValue(),
                    "compacted customers topic (CRM context and tiers for care items);"
                            + " needs --rules");
    public static final ConfigOption<Duration> CARE_WINDOW =
            flag(
                    key("care-window").durationType().defaultValue(Duration.ofHours(1)),
                    "window of the response-time figures");
    public static final ConfigOption<Duration> CARE_RETENTION =
            flag(
                    key("care-retention").durationType().defaultValue(Duration.ofDays(7)),
                    "a conversation's and a figures window's state is kept this long"
                            + " (event time) after its last activity");
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            flag(
                    key("checkpoint-interval").durationType().defaultValue(Duration.ofSeconds(30)),
                    "exactly-once checkpoints this often");
    public static final ConfigOption<String> KAFKA_PROPERTIES =
            flag(
                    key("kafka-properties").stringType().noDefaultValue(),
                    "Java properties file of Kafka client settings (TLS, SASL) for every"
                            + " Kafka client of the job; secrets as ${env:NAME} or"
                            + " ${file:/path}");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            flag(
                    key("transactional-id-prefix").stringType().noDefaultValue(),
                    "prefix of the transactional ids of the exactly-once Kafka sinks,"
                            + " unique per job on a Kafka cluster; when not set, the"
                            + " --group-id");
    public static final ConfigOption<Duration> KAFKA_TRANSACTION_TIMEOUT =
            flag(
                    key("kafka-transaction-timeout")
                            .durationType()
                            .defaultValue(Duration.ofMinutes(14)),
                    "transaction.timeout.ms of those sinks: longer than"
                            + " --checkpoint-interval, at most the brokers'"
                            + " transaction.max.timeout.ms");
    public static final ConfigOption<Integer> PARALLELISM =
            flag(
                    key("parallelism").intType().noDefaultValue(),
                    "the jobs' parallelism; when not set, the cluster's default");

    private static final int WIDTH = 100;

    private JobFlags() {}

    private static <T> ConfigOption<T> flag(ConfigOption<T> option, String description) {
        ConfigOption<T> described = option.withDescription(description);
        DECLARED.add(described);
        return described;
    }

    /** Every flag, in the order {@code --help} lists them. */
    public static List<ConfigOption<?>> all() {
        return Collections.unmodifiableList(DECLARED);
    }

    /** The names of every flag, without the leading {@code --}. */
    public static Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (ConfigOption<?> o : DECLARED) {
            names.add(o.key());
        }
        return names;
    }

    /** Whether the arguments ask for the flags instead of a job. */
    public static boolean wantsHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /** A default as the flag would be written, e.g. {@code 30 s}; {@code null} when none. */
    public static String defaultText(ConfigOption<?> option) {
        if (!option.hasDefaultValue()) {
            return null;
        }
        Object d = option.defaultValue();
        if (d instanceof Duration duration) {
            return TimeUtils.formatWithHighestUnit(duration);
        }
        if (d instanceof Double number) {
            // 1e-10 rather than 1.0E-10
            return number.toString().replace(".0E", "e").replace("E", "e");
        }
        return String.valueOf(d);
    }

    /** The description as plain text. */
    public static String description(ConfigOption<?> option) {
        StringBuilder text = new StringBuilder();
        for (BlockElement block : option.description().getBlocks()) {
            if (block instanceof TextElement t) {
                text.append(t.getFormat());
            }
        }
        return text.toString();
    }

    /** The text of {@code --help}: what the job is, then every flag with its default. */
    public static String help(String usage) {
        StringBuilder out = new StringBuilder();
        out.append(usage).append("\n\n");
        out.append("Flags, [default]; durations like 30 s, 5 min, 1 h, 7 d:\n");
        for (ConfigOption<?> o : DECLARED) {
            String dflt = defaultText(o);
            out.append("  --")
                    .append(o.key())
                    .append(dflt == null ? "" : " [" + dflt + "]")
                    .append('\n');
            wrap(description(o), "      ", out);
        }
        out.append('\n');
        wrap(
                "Secrets are never flags: the Elasticsearch password comes from "
                        + JobOptions.ENV_ES_PASSWORD
                        + " or --"
                        + ES_PASSWORD_FILE.key()
                        + ", the API key from "
                        + JobOptions.ENV_ES_API_KEY
                        + " or --"
                        + ES_API_KEY_FILE.key()
                        + ". A wrong flag stops the job before it starts, with every problem"
                        + " listed.",
                "",
                out);
        return out.toString();
    }

    private static void wrap(String text, String indent, StringBuilder out) {
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
                out.append(line).append('\n');
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        out.append(line).append('\n');
    }
}
