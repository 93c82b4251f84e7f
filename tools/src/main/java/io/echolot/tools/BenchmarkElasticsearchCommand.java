package io.echolot.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolot.index.AsWritten;
import io.echolot.index.DocumentRequest;
import io.echolot.index.IndexRecord;
import io.echolot.index.MentionDocuments;
import io.echolot.json.Json;
import io.echolot.model.Mention;
import io.echolot.sink.elasticsearch.ElasticsearchConfig;
import io.echolot.sink.elasticsearch.ElasticsearchSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What Elasticsearch spends per mention document: the same generated documents sent by a plain
 * {@code _bulk} loop (one thread, one request at a time, the lower bound of client overhead) and by
 * the indexing job's own {@link ElasticsearchSink} on a local MiniCluster, into fresh indices of
 * the product's mentions template. Per path and run: documents per second, and Elasticsearch's
 * process CPU per document from its node statistics (indexing, refresh and the merges it caused,
 * waited for before the next path starts). The sink's time is the job's run time, without the
 * MiniCluster's start and stop (reported apart); each path also shows the {@code _bulk} requests
 * and bytes Elasticsearch received and this JVM's CPU per document. Runs alternate the order of the
 * paths; the figures to compare are the ratios within one run. A benchmark, not a test: it needs a
 * running Elasticsearch.
 */
@Command(
        name = "benchmark-elasticsearch",
        mixinStandardHelpOptions = true,
        description =
                "Elasticsearch CPU per mention document and documents/s: the indexing job's sink"
                        + " against a plain _bulk loop sending the same documents. Prints JSON.")
public final class BenchmarkElasticsearchCommand implements Callable<Integer> {

    /** The product's mentions template; the benchmark's indices match its pattern. */
    static final String MENTIONS_TEMPLATE =
            "/echolot/elasticsearch/templates/echolot-mentions.json";

    @Option(
            names = "--es-hosts",
            required = true,
            split = ",",
            description = "Elasticsearch URLs, e.g. http://127.0.0.1:9200.")
    List<String> esHosts;

    @Option(
            names = "--documents",
            defaultValue = "100000",
            description = "Mention documents per path and run. Default: ${DEFAULT-VALUE}.")
    int documents;

    @Option(
            names = "--runs",
            defaultValue = "3",
            description =
                    "Runs; each sends the documents by both paths. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(
            names = "--bulk-size",
            defaultValue = "1000",
            description =
                    "Documents per _bulk request of the plain loop (the sink's default batch)."
                            + " Default: ${DEFAULT-VALUE}.")
    int bulkSize;

    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--keep", description = "Keep the benchmark's indices afterwards.")
    boolean keep;

    @Option(names = "--out", description = "Also write the JSON to this file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (documents < 1 || runs < 1 || bulkSize < 1) {
            throw new IllegalArgumentException(
                    "--documents, --runs and --bulk-size must be positive");
        }
        ObjectNode json = run();
        String text = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json);
        System.out.println(text);
        if (out != null) {
            Files.writeString(out, text + "\n");
        }
        return 0;
    }

    ObjectNode run() throws Exception {
        ElasticsearchConfig config = ElasticsearchConfig.builder().hosts(esHosts).build();
        List<DocumentRequest> docs = documents(documents, seed);
        long bytes = docs.stream().mapToLong(d -> d.source().length).sum();
        String tag = Long.toString(System.currentTimeMillis(), 36);
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("load_average_start", BenchmarkCommand.loadAverage());
        ObjectNode in = json.putObject("input");
        in.put("documents", docs.size());
        in.put("source_bytes_per_document", bytes / docs.size());
        in.put("bulk_size", bulkSize);
        ArrayNode results = json.putArray("runs");
        List<Double> cpuRatios = new ArrayList<>();
        List<Double> rateRatios = new ArrayList<>();
        try (RestClient client = config.createRestClient()) {
            putTemplate(client);
            for (int run = 0; run < runs; run++) {
                ObjectNode r = results.addObject();
                r.put("run", run + 1);
                // alternate which path goes first: a warmer JVM or cluster favours the second
                boolean plainFirst = run % 2 == 0;
                ObjectNode plain = null;
                ObjectNode sink = null;
                for (int step = 0; step < 2; step++) {
                    boolean doPlain = (step == 0) == plainFirst;
                    String index =
                            "echolot-mentions-bench-"
                                    + tag
                                    + "-"
                                    + run
                                    + "-"
                                    + (doPlain ? "plain" : "sink");
                    List<DocumentRequest> into = retarget(docs, index);
                    ObjectNode figures;
                    if (doPlain) {
                        figures =
                                measure(
                                        client,
                                        index,
                                        () -> {
                                            plainBulk(client, into);
                                            return null;
                                        });
                        plain = figures;
                    } else {
                        figures = measure(client, index, () -> viaSink(config, into));
                        sink = figures;
                    }
                    r.set(doPlain ? "plain_bulk" : "sink", figures);
                    if (!keep) {
                        client.performRequest(new Request("DELETE", "/" + index));
                    }
                }
                double plainCpu = plain.get("es_cpu_ms").asDouble();
                if (plainCpu > 0) {
                    double cpuRatio = sink.get("es_cpu_ms").asDouble() / plainCpu;
                    r.put("sink_vs_plain_es_cpu", round(cpuRatio));
                    cpuRatios.add(cpuRatio);
                }
                double rateRatio =
                        sink.get("documents_per_second").asDouble()
                                / plain.get("documents_per_second").asDouble();
                r.put("sink_vs_plain_rate", round(rateRatio));
                // the same with the MiniCluster's start and stop counted against the sink
                r.put(
                        "sink_vs_plain_rate_with_minicluster",
                        round(
                                plain.get("seconds").asDouble()
                                        / sink.get("seconds_with_minicluster").asDouble()));
                rateRatios.add(rateRatio);
            }
        }
        ObjectNode summary = json.putObject("summary");
        summary.set("sink_vs_plain_es_cpu", minMedianMax(cpuRatios));
        summary.set("sink_vs_plain_rate", minMedianMax(rateRatios));
        summary.set(
                "sink_es_cpu_ms_per_document",
                minMedianMax(figures(results, "sink", "es_cpu_ms_per_document")));
        summary.set(
                "plain_es_cpu_ms_per_document",
                minMedianMax(figures(results, "plain_bulk", "es_cpu_ms_per_document")));
        summary.set(
                "sink_documents_per_second",
                minMedianMax(figures(results, "sink", "documents_per_second")));
        summary.set(
                "plain_documents_per_second",
                minMedianMax(figures(results, "plain_bulk", "documents_per_second")));
        json.put("load_average_end", BenchmarkCommand.loadAverage());
        json.put("jvm", System.getProperty("java.vm.name") + " " + Runtime.version());
        return json;
    }

    /** The generator's regular mix as the analytics job would index it (one day's index). */
    static List<DocumentRequest> documents(int n, long seed) {
        MentionGenerator generator = new MentionGenerator(seed);
        MentionDocuments converter = new MentionDocuments();
        Instant start = Instant.parse("2026-01-05T09:00:00Z");
        List<DocumentRequest> docs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Mention m = generator.next(start.plusMillis(i * 200L));
            docs.add(converter.convert(m));
        }
        return docs;
    }

    private static List<DocumentRequest> retarget(List<DocumentRequest> docs, String index) {
        List<DocumentRequest> out = new ArrayList<>(docs.size());
        for (DocumentRequest d : docs) {
            out.add(DocumentRequest.index(index, d.id(), d.source()));
        }
        return out;
    }

    /** Runs one path, then waits for its index to be searchable and its merges to end. */
    private ObjectNode measure(RestClient client, String index, Step step) throws Exception {
        long[] bulksBefore = bulkRequests(client);
        long cpuBefore = cpuMillis(client);
        long clientCpuBefore = clientCpuNanos();
        long t = System.nanoTime();
        Double own = step.run();
        double wallSeconds = (System.nanoTime() - t) / 1e9;
        double seconds = own != null ? own : wallSeconds;
        long clientCpu = clientCpuNanos() - clientCpuBefore;
        long[] bulks = bulkRequests(client);
        client.performRequest(new Request("POST", "/" + index + "/_refresh"));
        waitForMerges(client);
        long cpu = cpuMillis(client) - cpuBefore;
        long requests = bulks[0] - bulksBefore[0];
        long requestBytes = bulks[1] - bulksBefore[1];
        long count = count(client, index);
        if (count != documents) {
            throw new IllegalStateException(
                    index + " holds " + count + " documents, " + documents + " were sent");
        }
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("documents", count);
        o.put("seconds", round(seconds));
        if (own != null) {
            o.put("seconds_with_minicluster", round(wallSeconds));
        }
        o.put("documents_per_second", Math.round(count / Math.max(seconds, 1e-3)));
        o.put("es_cpu_ms", cpu);
        o.put("es_cpu_ms_per_document", round((double) cpu / count));
        o.put("client_cpu_ms_per_document", round(clientCpu / 1e6 / count));
        o.put("bulk_requests", requests);
        o.put("documents_per_bulk", Math.round((double) count / Math.max(requests, 1)));
        o.put("bytes_per_bulk", requestBytes / Math.max(requests, 1));
        return o;
    }

    /** One thread, one {@code _bulk} request at a time: the least a client can do. */
    private void plainBulk(RestClient client, List<DocumentRequest> docs) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(bulkSize * 1024);
        int inBatch = 0;
        for (DocumentRequest d : docs) {
            ObjectNode action = Json.mapper().createObjectNode();
            ObjectNode meta = action.putObject("index");
            meta.put("_index", d.index());
            meta.put("_id", d.id());
            body.write(Json.mapper().writeValueAsBytes(action));
            body.write('\n');
            body.write(d.source());
            body.write('\n');
            if (++inBatch == bulkSize) {
                sendBulk(client, body);
                inBatch = 0;
            }
        }
        if (inBatch > 0) {
            sendBulk(client, body);
        }
    }

    private static void sendBulk(RestClient client, ByteArrayOutputStream body) throws IOException {
        Request request = new Request("POST", "/_bulk");
        request.setEntity(
                new ByteArrayEntity(
                        body.toByteArray(), ContentType.create("application/x-ndjson")));
        body.reset();
        Response response = client.performRequest(request);
        JsonNode answer = read(response);
        if (answer.path("errors").asBoolean(true)) {
            throw new IllegalStateException("a _bulk request had errors: " + first(answer));
        }
    }

    private static String first(JsonNode answer) {
        for (JsonNode item : answer.path("items")) {
            JsonNode error = item.path("index").path("error");
            if (!error.isMissingNode()) {
                return error.toString();
            }
        }
        return answer.toString();
    }

    /** The indexing job's sink, fed from memory on a local MiniCluster at parallelism 1. */
    /** Returns the job's run time: from its start to its end, the MiniCluster's start excluded. */
    private static double viaSink(ElasticsearchConfig config, List<DocumentRequest> docs)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        List<IndexRecord> records = new ArrayList<>(docs.size());
        for (DocumentRequest d : docs) {
            records.add(IndexRecord.of(d));
        }
        String key = BenchmarkCommand.InMemoryRecords.put(records);
        try {
            ElasticsearchSink<IndexRecord> sink =
                    ElasticsearchSink.<IndexRecord>builder()
                            .setConfig(config)
                            .setConverter(new AsWritten())
                            .addIndexTemplate("echolot-mentions", MENTIONS_TEMPLATE)
                            .build();
            BenchmarkCommand.InMemoryRecords.source(
                            env, key, records.size(), TypeInformation.of(IndexRecord.class))
                    .sinkTo(sink)
                    .name("elasticsearch");
            return env.execute("echolot benchmark elasticsearch sink").getNetRuntime() / 1e3;
        } finally {
            BenchmarkCommand.InMemoryRecords.remove(key);
        }
    }

    private static void putTemplate(RestClient client) throws IOException {
        byte[] template;
        try (InputStream in =
                BenchmarkElasticsearchCommand.class.getResourceAsStream(MENTIONS_TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + MENTIONS_TEMPLATE);
            }
            template = in.readAllBytes();
        }
        Request request = new Request("PUT", "/_index_template/echolot-mentions");
        request.setEntity(new ByteArrayEntity(template, ContentType.APPLICATION_JSON));
        client.performRequest(request);
    }

    /** Process CPU of every node, summed: indexing, refreshes and merges alike. */
    private static long cpuMillis(RestClient client) throws IOException {
        JsonNode stats = read(client.performRequest(new Request("GET", "/_nodes/stats/process")));
        long sum = 0;
        for (JsonNode node : stats.path("nodes")) {
            sum += node.path("process").path("cpu").path("total_in_millis").asLong();
        }
        return sum;
    }

    /** CPU of this JVM: the client side of a path, MiniCluster and garbage collection included. */
    private static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * {@code _bulk} requests Elasticsearch received so far and their bytes on the wire (compressed
     * if the client compressed them), from its HTTP route statistics.
     */
    private static long[] bulkRequests(RestClient client) throws IOException {
        JsonNode stats = read(client.performRequest(new Request("GET", "/_nodes/stats/http")));
        long count = 0;
        long bytes = 0;
        for (JsonNode node : stats.path("nodes")) {
            for (var route : node.path("http").path("routes").properties()) {
                if (route.getKey().endsWith("/_bulk")) {
                    JsonNode requests = route.getValue().path("requests");
                    count += requests.path("count").asLong();
                    bytes += requests.path("total_size_in_bytes").asLong();
                }
            }
        }
        return new long[] {count, bytes};
    }

    private static void waitForMerges(RestClient client) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode stats =
                    read(client.performRequest(new Request("GET", "/_nodes/stats/indices/merge")));
            long current = 0;
            for (JsonNode node : stats.path("nodes")) {
                current += node.path("indices").path("merges").path("current").asLong();
            }
            if (current == 0) {
                Thread.sleep(1_000); // a merge the last refresh asked for starts a moment later
                return;
            }
            Thread.sleep(200);
        }
    }

    private static long count(RestClient client, String index) throws IOException {
        return read(client.performRequest(new Request("GET", "/" + index + "/_count")))
                .path("count")
                .asLong();
    }

    private static JsonNode read(Response response) throws IOException {
        try (InputStream in = response.getEntity().getContent()) {
            return Json.mapper().readTree(in);
        }
    }

    private static List<Double> figures(ArrayNode runs, String path, String field) {
        List<Double> out = new ArrayList<>();
        for (JsonNode r : runs) {
            out.add(r.path(path).path(field).asDouble());
        }
        return out;
    }

    private static ObjectNode minMedianMax(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("min", round(v[0]));
        o.put(
                "median",
                round(
                        v.length % 2 == 1
                                ? v[v.length / 2]
                                : (v[v.length / 2 - 1] + v[v.length / 2]) / 2));
        o.put("max", round(v[v.length - 1]));
        return o;
    }

    private static double round(double x) {
        return Math.round(x * 10_000) / 10_000.0;
    }

    private interface Step {
        /** Runs the path; returns its own run time in seconds where it knows better, or null. */
        Double run() throws Exception;
    }
}
