package io.echolot.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolot.alert.Alert;
import io.echolot.care.CareFigures;
import io.echolot.deadletter.DeadLetter;
import io.echolot.deadletter.RawRecord;
import io.echolot.ingest.MentionParser;
import io.echolot.ingest.ParsedRecord;
import io.echolot.jobs.JobOptions;
import io.echolot.jobs.MentionAnalyticsPipeline;
import io.echolot.jobs.PipelineSettings;
import io.echolot.json.Json;
import io.echolot.language.LanguageDetector;
import io.echolot.language.OptimaizeLanguageDetector;
import io.echolot.model.Mention;
import io.echolot.model.WindowAggregate;
import io.echolot.rules.BrandMatcher;
import io.echolot.rules.BrandRules;
import io.echolot.rules.OwnAccounts;
import io.echolot.sentiment.SentimentScorer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmark}: measures, in one process and on the same generated input, the job's workflow
 * against its limit (the per-mention work in a plain loop on one thread) and against a Flink SQL
 * peer computing the same window aggregates, and prints one JSON object with the figures. Rates per
 * CPU second (the whole process's CPU time) make the figures comparable on a shared machine; only
 * ratios from the same run should be compared.
 */
@Command(
        name = "benchmark",
        mixinStandardHelpOptions = true,
        description = {
            "Throughput of the job's workflow against its limit (the per-mention work on one thread)"
                    + " and against a Flink SQL peer, on the same generated input; prints JSON.",
            "A benchmark, not a test: run it on a quiet machine and compare ratios of one run."
        })
final class BenchmarkCommand implements Callable<Integer> {

    @Option(
            names = "--mentions",
            defaultValue = "300000",
            description = "Mentions to generate. Default: ${DEFAULT-VALUE}.")
    int mentions;

    @Option(
            names = "--brands",
            defaultValue = "1250",
            description =
                    "Brands in the generated rules; every brand shares the example rules' topics, so"
                            + " the keys are brands x (topics + all). Default: ${DEFAULT-VALUE}.")
    int brands;

    @Option(
            names = "--skew",
            defaultValue = "1.0",
            description =
                    "Zipf exponent of the brands' volume (0 = uniform). Default: ${DEFAULT-VALUE}.")
    double skew;

    @Option(
            names = "--rate",
            defaultValue = "100",
            description =
                    "Mentions per second of event time (sets how many windows the input spans)."
                            + " Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(
            names = "--parallelism",
            split = ",",
            defaultValue = "1,2",
            description = "Parallelisms of the pipeline and the peer. Default: ${DEFAULT-VALUE}.")
    List<Integer> parallelism;

    @Option(
            names = "--warmup-share",
            defaultValue = "0.2",
            description =
                    "Each path first runs once, unmeasured, on this share of the input (JIT warm-up)."
                            + " Default: ${DEFAULT-VALUE}.")
    double warmupShare;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description =
                    "Checkpoints of the pipeline and the peer (0 s: none); the largest checkpoint of"
                            + " the pipeline gives the state per key. Default: ${DEFAULT-VALUE}.")
    Duration checkpointInterval;

    @Option(
            names = "--state-backend",
            defaultValue = "hashmap",
            description =
                    "The pipeline's and the peer's state backend: hashmap (the local stack's) or"
                            + " rocksdb (incremental checkpoints, as on Kubernetes). Default:"
                            + " ${DEFAULT-VALUE}.")
    StateBackendKind stateBackend;

    /** The state backends the benchmark can run on. */
    enum StateBackendKind {
        hashmap,
        rocksdb
    }

    @Option(names = "--out", description = "Also write the JSON to this file.")
    Path out;

    @Option(names = "--no-peer", description = "Skip the SQL peer.")
    boolean noPeer;

    @Override
    public Integer call() throws Exception {
        if (mentions < 1 || brands < 1 || !(rate > 0) || parallelism.isEmpty()) {
            throw new IllegalArgumentException(
                    "--mentions, --brands, --rate and --parallelism must be positive");
        }
        ObjectNode json = run();
        String text = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json);
        System.out.println(text);
        if (out != null) {
            Files.writeString(out, text + "\n");
        }
        return 0;
    }

    /** Runs every path and returns the figures. */
    ObjectNode run() throws Exception {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("load_average_start", loadAverage());
        json.put("state_backend", stateBackend.name());
        Instant start = Instant.parse("2026-01-05T09:00:00Z");
        long generateStart = System.nanoTime();
        BenchmarkInput input = BenchmarkInput.generate(mentions, brands, rate, skew, start, seed);
        Path work = Files.createTempDirectory("echolot-benchmark");
        try {
            Path rulesFile = work.resolve("rules.yaml");
            Files.writeString(rulesFile, input.rulesYaml());
            // the job's own defaults, with a clock at the end of the input (no mention is too old)
            JobOptions options =
                    JobOptions.parse(new String[] {"--rules", rulesFile.toString()}, Map.of());
            PipelineSettings settings =
                    withClock(
                            options.pipeline(),
                            Clock.fixed(input.last().plusSeconds(60), ZoneOffset.UTC));
            List<byte[]> records = input.records();
            List<byte[]> warmup =
                    records.subList(
                            0, (int) Math.min(records.size(), records.size() * warmupShare));

            ObjectNode in = json.putObject("input");
            in.put("mentions", records.size());
            in.put("bytes", input.bytes());
            in.put("brands", brands);
            in.put("topics", input.rules().topics().size());
            in.put("possible_keys", input.possibleKeys());
            in.put("skew", skew);
            in.put("event_time_span_s", input.span().toSeconds());
            in.put("window_size_s", settings.windowSize().toSeconds());
            in.put("generated_in_s", round((System.nanoTime() - generateStart) / 1e9));

            Limit limit = new Limit(settings);
            if (!warmup.isEmpty()) {
                limit.run(warmup, false);
            }
            resetPeaks();
            Measure m = Measure.start();
            // counting the keys costs a set insertion per (brand, topic): noise next to the work
            Limit.Result l = limit.run(records, true);
            in.put("keys", l.keys());
            in.put("matched_mentions", l.matched());
            ObjectNode limitJson = m.stop(json.putObject("limit"), l.matched());
            limitJson.put("thread_cpu_s", round(l.threadCpuNanos() / 1e9));
            limitJson.put(
                    "mentions_per_thread_cpu_s", round(l.matched() / (l.threadCpuNanos() / 1e9)));
            limitJson.put("matched_mentions", l.matched());
            limitJson.put("brand_mentions", l.brandMentions());

            ArrayNode pipelines = json.putArray("pipeline");
            ArrayNode peers = json.putArray("peer");
            boolean warm = false;
            for (int p : parallelism) {
                if (!warm && !warmup.isEmpty()) {
                    pipeline(warmup, settings, options, p, work.resolve("warmup"));
                    warm = true;
                }
                pipelines.add(pipeline(records, settings, options, p, work.resolve("p" + p)));
            }
            if (!noPeer) {
                warm = false;
                for (int p : parallelism) {
                    if (!warm && !warmup.isEmpty()) {
                        peer(warmup, settings, p, work.resolve("peer-warmup"));
                        warm = true;
                    }
                    peers.add(peer(records, settings, p, work.resolve("peer-p" + p)));
                }
            }
            summarise(json, limitJson, pipelines, peers, l.keys(), stateBackend.name());
        } finally {
            deleteQuietly(work);
        }
        json.set("jvm", jvm());
        json.put("load_average_end", loadAverage());
        return json;
    }

    private static void summarise(
            ObjectNode json,
            ObjectNode limit,
            ArrayNode pipelines,
            ArrayNode peers,
            int keys,
            String backend) {
        double limitPerCpu = limit.path("mentions_per_cpu_s").asDouble();
        json.put("limit_mentions_per_s", limit.path("mentions_per_s").asDouble());
        ObjectNode ratios = json.putObject("by_parallelism");
        Double headlineLimit = null;
        Double headlinePeer = null;
        for (int i = 0; i < pipelines.size(); i++) {
            ObjectNode p = (ObjectNode) pipelines.get(i);
            ObjectNode r = ratios.putObject(p.path("parallelism").asText());
            double perCpu = p.path("mentions_per_cpu_s").asDouble();
            double vsLimit = round(perCpu / limitPerCpu);
            r.put("pipeline_mentions_per_s", p.path("mentions_per_s").asDouble());
            r.put("pipeline_vs_limit_per_core", vsLimit);
            if (headlineLimit == null) {
                headlineLimit = vsLimit;
                json.put("pipeline_mentions_per_s", p.path("mentions_per_s").asDouble());
            }
            if (i < peers.size()) {
                ObjectNode q = (ObjectNode) peers.get(i);
                double vsPeer =
                        round(
                                p.path("mentions_per_s").asDouble()
                                        / q.path("mentions_per_s").asDouble());
                r.put("peer_mentions_per_s", q.path("mentions_per_s").asDouble());
                r.put("pipeline_vs_peer", vsPeer);
                r.put(
                        "pipeline_vs_peer_per_cpu_s",
                        round(perCpu / q.path("mentions_per_cpu_s").asDouble()));
                if (headlinePeer == null) {
                    headlinePeer = vsPeer;
                    json.put("peer_mentions_per_s", q.path("mentions_per_s").asDouble());
                }
            }
        }
        json.put("headline_parallelism", pipelines.get(0).path("parallelism").asInt());
        json.put("pipeline_vs_limit_per_core", headlineLimit);
        if (headlinePeer != null) {
            json.put("pipeline_vs_peer", headlinePeer);
        } else {
            json.putNull("pipeline_vs_peer");
        }
        long checkpoint = 0;
        for (var p : pipelines) {
            checkpoint = Math.max(checkpoint, p.path("largest_checkpoint_bytes").asLong());
        }
        ObjectNode state = json.putObject("state");
        if (checkpoint > 0 && keys > 0) {
            json.put("state_bytes_per_key", round((double) checkpoint / keys));
            state.put("largest_checkpoint_bytes", checkpoint);
            state.put("keys", keys);
            state.put(
                    "how",
                    "the state of the largest completed checkpoint of the pipeline ("
                            + backend
                            + " backend; all of its state: windows, deduplication ids, baselines,"
                            + " care; by its metadata) divided by the distinct (brand, topic) keys"
                            + " of the input");
        } else {
            json.putNull("state_bytes_per_key");
            state.put("how", "no checkpoint completed during the pipeline runs");
        }
    }

    /** The job's workflow on a fresh local MiniCluster, sinks counting and discarding. */
    private ObjectNode pipeline(
            List<byte[]> records,
            PipelineSettings settings,
            JobOptions options,
            int parallelism,
            Path checkpoints)
            throws Exception {
        StreamExecutionEnvironment env = environment(parallelism, checkpoints);
        String key = InMemoryRecords.put(records);
        CountingSink<Mention> mentionSink = new CountingSink<>();
        CountingSink<WindowAggregate> aggregates =
                new CountingSink<>(
                        a -> WindowAggregate.ALL_TOPICS.equals(a.topic()) ? a.mentions() : 0);
        CountingSink<DeadLetter> deadLetters = new CountingSink<>();
        CountingSink<Mention> late = new CountingSink<>();
        CountingSink<Alert> alerts = new CountingSink<>();
        CountingSink<Alert> alertEvents = new CountingSink<>();
        CountingSink<CareFigures> care = new CountingSink<>();
        try {
            DataStream<ParsedRecord> parsed =
                    InMemoryRecords.source(env, key, records.size())
                            .map(new ParseRecord(settings))
                            .returns(TypeInformation.of(ParsedRecord.class))
                            .name("parse")
                            .assignTimestampsAndWatermarks(
                                    MentionAnalyticsPipeline.watermarks(settings));
            MentionAnalyticsPipeline.defineWorkflow(
                    parsed,
                    null,
                    new MentionAnalyticsPipeline.Sinks(
                            mentionSink,
                            aggregates,
                            deadLetters,
                            late,
                            alerts,
                            alertEvents,
                            null,
                            care),
                    settings,
                    options.care());
            Map<OperatorID, String> operators = operatorNames(env);
            LargestCheckpoint largest = new LargestCheckpoint(checkpoints);
            resetPeaks();
            Measure m = Measure.start();
            try {
                env.execute("echolot benchmark pipeline p" + parallelism);
            } finally {
                largest.close();
            }
            ObjectNode o = Json.mapper().createObjectNode();
            o.put("parallelism", parallelism);
            m.stop(o, mentionSink.records());
            o.put("mentions_out", mentionSink.records());
            o.put("aggregates_out", aggregates.records());
            o.put("brand_mentions_in_aggregates", aggregates.weight());
            o.put("dead_letters", deadLetters.records());
            o.put("late", late.records());
            o.put("alerts", alerts.records());
            o.put("care_figures", care.records());
            o.put("largest_checkpoint_bytes", largest.bytes());
            largest.byOperator(operators, o.putObject("largest_checkpoint_by_operator"));
            return o;
        } finally {
            InMemoryRecords.remove(key);
            for (CountingSink<?> s :
                    List.of(
                            mentionSink,
                            aggregates,
                            deadLetters,
                            late,
                            alerts,
                            alertEvents,
                            care)) {
                s.close();
            }
        }
    }

    /** The SQL peer on a fresh local MiniCluster with the same configuration. */
    private ObjectNode peer(
            List<byte[]> records, PipelineSettings settings, int parallelism, Path checkpoints)
            throws Exception {
        StreamExecutionEnvironment env = environment(parallelism, checkpoints);
        String key = InMemoryRecords.put(records);
        CountingSink<Row> sink = new CountingSink<>(SqlPeer::brandMentions);
        try {
            SqlPeer.define(env, InMemoryRecords.source(env, key, records.size()), settings, sink);
            resetPeaks();
            Measure m = Measure.start();
            env.execute("echolot benchmark sql peer p" + parallelism);
            ObjectNode o = Json.mapper().createObjectNode();
            o.put("parallelism", parallelism);
            m.stop(o, sink.weight());
            o.put("aggregates_out", sink.records());
            o.put("brand_mentions_in_aggregates", sink.weight());
            return o;
        } finally {
            InMemoryRecords.remove(key);
            sink.close();
        }
    }

    private StreamExecutionEnvironment environment(int parallelism, Path checkpoints) {
        Configuration conf = new Configuration();
        // a type falling back to Kryo fails the run instead of slowing it down unnoticed
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        boolean checkpointing = !checkpointInterval.isZero() && !checkpointInterval.isNegative();
        if (checkpointing) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
            // keep every checkpoint: the largest one, mid-run, says how big the state gets
            conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 10_000);
            conf.set(
                    CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        conf.set(StateBackendOptions.STATE_BACKEND, stateBackend.name());
        if (stateBackend == StateBackendKind.rocksdb) {
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        if (checkpointing) {
            env.enableCheckpointing(checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        }
        return env;
    }

    static MentionParser parser(PipelineSettings s) {
        return new MentionParser(
                s.maxEventBytes(), s.maxEventFuture(), s.clock(), s.fanOutLimits());
    }

    private static PipelineSettings withClock(PipelineSettings s, Clock clock) {
        return new PipelineSettings(
                s.windowSize(),
                s.allowedLateness(),
                s.outOfOrderness(),
                s.idleness(),
                s.maxEventFuture(),
                s.maxEventAge(),
                s.maxEventBytes(),
                s.maxBrands(),
                s.maxTopics(),
                s.topMentions(),
                s.dedupWindow(),
                s.detection(),
                s.rules(),
                clock,
                s.sentiment());
    }

    /**
     * The per-mention work of the job, in a plain loop: parse and validate, brands and topics, the
     * brand's own accounts, language, sentiment — what {@code EnrichMentions} and the source do per
     * mention, without Flink.
     */
    static final class Limit {
        record Result(long matched, long brandMentions, long threadCpuNanos, int keys) {}

        private final MentionParser parser;
        private final BrandRules rules;
        private final BrandMatcher matcher;
        private final OwnAccounts ownAccounts;
        private final LanguageDetector languages;
        private final SentimentScorer sentiment;

        /** Keeps the JIT from dropping the work. */
        static volatile double sink;

        Limit(PipelineSettings settings) {
            this.parser = parser(settings);
            this.rules = settings.rules();
            this.matcher = BrandMatcher.compile(rules);
            this.ownAccounts = OwnAccounts.of(rules);
            this.languages = OptimaizeLanguageDetector.create().warmUp();
            this.sentiment = settings.sentiment();
            sentiment.score("ok", "en");
        }

        Result run(List<byte[]> records, boolean countKeys) {
            var threads = ManagementFactory.getThreadMXBean();
            long cpuStart = threads.getCurrentThreadCpuTime();
            Set<String> keys = countKeys ? new HashSet<>() : null;
            long matched = 0;
            long brandMentions = 0;
            double acc = 0;
            for (byte[] record : records) {
                MentionParser.Result r = parser.parse(record);
                if (!r.ok()) {
                    continue;
                }
                Mention e = matcher.enrich(r.mention());
                if (ownAccounts.brandOf(e.platform(), e.author()).isPresent()) {
                    acc += 1;
                }
                if (e.brands().isEmpty()) {
                    continue;
                }
                String lang = languages.languageOf(e);
                acc +=
                        e.sentiment() != null
                                ? e.sentiment()
                                : sentiment.score(e.text(), lang).score();
                matched++;
                brandMentions += e.brands().size();
                if (keys != null) {
                    for (String b : e.brands()) {
                        keys.add(b + "\u0000" + WindowAggregate.ALL_TOPICS);
                        for (String t : e.topics()) {
                            keys.add(b + "\u0000" + t);
                        }
                    }
                }
            }
            sink = acc;
            long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
            return new Result(matched, brandMentions, cpu, keys == null ? 0 : keys.size());
        }
    }

    /** Parses a record as the job's Kafka source does. */
    static final class ParseRecord extends RichMapFunction<byte[], ParsedRecord> {
        private static final long serialVersionUID = 1L;
        private final PipelineSettings settings;
        private transient MentionParser parser;

        ParseRecord(PipelineSettings settings) {
            this.settings = settings;
        }

        @Override
        public void open(OpenContext context) {
            parser = parser(settings);
        }

        @Override
        public ParsedRecord map(byte[] value) {
            return ParsedRecord.of(new RawRecord("benchmark", 0, 0, 0L, null, value), parser);
        }
    }

    /**
     * Records held in this JVM and read by index from a parallel sequence source, so that the job
     * graph does not carry them (only for in-process execution).
     */
    static final class InMemoryRecords {
        private static final Map<String, List<?>> RECORDS = new ConcurrentHashMap<>();

        private InMemoryRecords() {}

        static String put(List<?> records) {
            String key = UUID.randomUUID().toString();
            RECORDS.put(key, records);
            return key;
        }

        static void remove(String key) {
            RECORDS.remove(key);
        }

        static DataStream<byte[]> source(StreamExecutionEnvironment env, String key, int n) {
            return source(env, key, n, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        }

        static <T> DataStream<T> source(
                StreamExecutionEnvironment env, String key, int n, TypeInformation<T> type) {
            return env.fromSequence(0, n - 1)
                    .name("in-memory-records")
                    .map(new Lookup<T>(key))
                    .returns(type)
                    .name("records");
        }

        /** Index to record. */
        static final class Lookup<T> implements MapFunction<Long, T> {
            private static final long serialVersionUID = 1L;
            private final String key;
            private transient List<?> records;

            Lookup(String key) {
                this.key = key;
            }

            @Override
            @SuppressWarnings("unchecked")
            public T map(Long index) {
                if (records == null) {
                    records = RECORDS.get(key);
                }
                return (T) records.get(index.intValue());
            }
        }
    }

    /** Wall time, process CPU time and peak heap of one measured stretch. */
    private record Measure(long wallStart, long cpuStart) {
        static Measure start() {
            return new Measure(System.nanoTime(), processCpuNanos());
        }

        ObjectNode stop(ObjectNode into, long mentions) {
            long wall = System.nanoTime() - wallStart;
            long cpu = processCpuNanos() - cpuStart;
            Instant end = Instant.now();
            // the stretch in wall-clock time, to find it in a profile of the whole run
            into.put("from", end.minusNanos(wall).toString());
            into.put("to", end.toString());
            into.put("mentions", mentions);
            into.put("wall_s", round(wall / 1e9));
            into.put("process_cpu_s", round(cpu / 1e9));
            into.put("mentions_per_s", round(mentions / (wall / 1e9)));
            into.put("mentions_per_cpu_s", round(mentions / (cpu / 1e9)));
            into.put("cpu_ms_per_mention", round(cpu / 1e6 / Math.max(mentions, 1)));
            into.put("peak_heap_used_bytes", peakHeap());
            return into;
        }
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks since the last reset (an upper bound of the peak heap). */
    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** Each operator's name and uid, by the id its state has in a checkpoint. */
    private static Map<OperatorID, String> operatorNames(StreamExecutionEnvironment env) {
        Map<OperatorID, String> names = new HashMap<>();
        for (JobVertex v : env.getStreamGraph(false).getJobGraph().getVertices()) {
            for (OperatorIDPair op : v.getOperatorIDs()) {
                String uid = op.getUserDefinedOperatorUid();
                String name = op.getUserDefinedOperatorName();
                names.put(
                        op.getGeneratedOperatorID(),
                        uid == null || uid.equals(name) ? name : name + " (" + uid + ")");
            }
        }
        return names;
    }

    /**
     * Watches a job's checkpoint directory while it runs and keeps the per-operator state sizes of
     * the largest completed checkpoint: Flink deletes the checkpoints of a job that finished, so
     * they cannot be measured afterwards. Sizes come from the checkpoint's metadata, so an
     * incremental checkpoint counts all the state it refers to, not only its new files.
     */
    static final class LargestCheckpoint implements AutoCloseable {
        private final Path dir;
        private final Set<Path> seen = new HashSet<>();
        private final Thread watcher;
        private volatile boolean running = true;
        private long largest;
        private Map<OperatorID, Long> largestByOperator = Map.of();

        LargestCheckpoint(Path dir) {
            this.dir = dir;
            this.watcher = new Thread(this::watch, "checkpoint-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }

        private void watch() {
            while (running) {
                scan();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private synchronized void scan() {
            if (!Files.isDirectory(dir)) {
                return;
            }
            List<Path> checkpoints;
            try (Stream<Path> s = Files.walk(dir, 2)) {
                checkpoints = s.filter(p -> p.getFileName().toString().startsWith("chk-")).toList();
            } catch (IOException | UncheckedIOException e) {
                return; // a checkpoint removed while we looked: the next scan sees the rest
            }
            for (Path c : checkpoints) {
                // Flink writes the metadata last, under a temporary name renamed when complete:
                // a checkpoint with it is complete
                Path metadata = c.resolve("_metadata");
                if (seen.contains(c) || !Files.isRegularFile(metadata)) {
                    continue;
                }
                Map<OperatorID, Long> sizes = new HashMap<>();
                try (DataInputStream in = new DataInputStream(Files.newInputStream(metadata))) {
                    CheckpointMetadata m =
                            Checkpoints.loadCheckpointMetadata(
                                    in, BenchmarkCommand.class.getClassLoader(), c.toString());
                    for (OperatorState o : m.getOperatorStates()) {
                        sizes.put(o.getOperatorID(), o.getStateSize());
                    }
                } catch (IOException | RuntimeException e) {
                    continue; // removed while read, or not readable yet: the next scan tries again
                }
                seen.add(c);
                long total = sizes.values().stream().mapToLong(Long::longValue).sum();
                if (total > largest) {
                    largest = total;
                    largestByOperator = sizes;
                }
            }
        }

        /** State bytes of the largest completed checkpoint seen. */
        synchronized long bytes() {
            return largest;
        }

        /** The state bytes of each operator in it, largest first. */
        synchronized void byOperator(Map<OperatorID, String> names, ObjectNode into) {
            largestByOperator.entrySet().stream()
                    .filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<OperatorID, Long>comparingByValue().reversed())
                    .forEach(
                            e -> {
                                // two operators of one name add up: the parts stay the whole
                                String name = names.getOrDefault(e.getKey(), e.getKey().toString());
                                into.put(name, into.path(name).asLong(0) + e.getValue());
                            });
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            watcher.interrupt();
            watcher.join();
            scan();
        }
    }

    private static ObjectNode jvm() {
        ObjectNode j = Json.mapper().createObjectNode();
        var runtime = ManagementFactory.getRuntimeMXBean();
        j.put("version", Runtime.version().toString());
        j.put("vm", runtime.getVmName());
        j.put("available_processors", Runtime.getRuntime().availableProcessors());
        j.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        System.gc();
        j.put(
                "heap_used_bytes_after_gc",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        ArrayNode args = j.putArray("arguments");
        runtime.getInputArguments().forEach(args::add);
        ArrayNode gcs = j.putArray("garbage_collectors");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs.addObject()
                    .put("name", gc.getName())
                    .put("collections", gc.getCollectionCount())
                    .put("time_ms", gc.getCollectionTime());
        }
        return j;
    }

    static double loadAverage() {
        return round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void deleteQuietly(Path dir) {
        // Flink may still be removing a finished job's checkpoint files: walk again if one went
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Stream<Path> s = Files.walk(dir)) {
                List<Path> paths = new ArrayList<>(s.toList());
                paths.sort(Comparator.reverseOrder());
                for (Path p : paths) {
                    Files.deleteIfExists(p);
                }
                return;
            } catch (IOException e) {
                last = e;
            } catch (UncheckedIOException e) {
                last = e.getCause();
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        System.err.println("could not delete " + dir + ": " + last.getMessage());
    }
}
