package io.echolot.tools;

import io.echolot.ingest.MentionParser;
import io.echolot.jobs.PipelineSettings;
import io.echolot.language.LanguageDetector;
import io.echolot.language.OptimaizeLanguageDetector;
import io.echolot.model.Mention;
import io.echolot.model.WindowAggregate;
import io.echolot.rules.BrandMatcher;
import io.echolot.rules.BrandRules;
import io.echolot.sentiment.SentimentScorer;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.TableFunction;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * The SQL peer of the benchmark: what a team would write in Flink SQL instead of the job — the same
 * per-(brand, topic) tumbling-window aggregates (mentions, unique authors, reach, engagement,
 * sentiment) with the same enrichment (brand and topic rules, language, sentiment) as a
 * user-defined function. Records are parsed and validated with the job's parser before they become
 * a table, as a JSON format would in a Kafka table source.
 */
public final class SqlPeer {

    /** Parsed mentions, one row each; {@code event_ms} feeds the watermarks. */
    static final TypeInformation<Row> MENTION_ROW =
            Types.ROW_NAMED(
                    new String[] {
                        "id",
                        "event_ms",
                        "author_id",
                        "author_handle",
                        "followers",
                        "engagement",
                        "text"
                    },
                    Types.STRING,
                    Types.LONG,
                    Types.STRING,
                    Types.STRING,
                    Types.LONG,
                    Types.LONG,
                    Types.STRING);

    private SqlPeer() {}

    /**
     * Defines the peer on {@code env}: parse, then SQL over the parsed table; the aggregate rows go
     * to {@code sink}.
     */
    static void define(
            StreamExecutionEnvironment env,
            DataStream<byte[]> records,
            PipelineSettings settings,
            CountingSink<Row> sink) {
        Duration outOfOrderness = settings.outOfOrderness();
        Duration windowSize = settings.windowSize();
        DataStream<Row> parsed =
                records.flatMap(new Parse(settings), MENTION_ROW)
                        .name("parse")
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<Row>forBoundedOutOfOrderness(outOfOrderness)
                                        .withTimestampAssigner(
                                                (row, previous) -> row.<Long>getFieldAs(1)));
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.createTemporarySystemFunction(
                "ENRICH", new Enrich(settings.rules(), settings.sentiment()));
        tables.createTemporaryView(
                "mentions",
                tables.fromDataStream(
                        parsed,
                        Schema.newBuilder()
                                .columnByMetadata("rowtime", "TIMESTAMP_LTZ(3)")
                                .watermark("rowtime", "SOURCE_WATERMARK()")
                                .build()));
        tables.executeSql(
                "CREATE TEMPORARY VIEW enriched AS"
                        + " SELECT m.rowtime, m.author_id, m.followers, m.engagement,"
                        + " e.brand, e.topic, e.lang, e.sentiment"
                        + " FROM mentions AS m,"
                        + " LATERAL TABLE(ENRICH(m.text, m.author_handle))"
                        + " AS e(brand, topic, lang, sentiment)");
        Table aggregates =
                tables.sqlQuery(
                        "SELECT brand, topic, window_start, window_end,"
                                + " COUNT(*) AS mentions,"
                                + " COUNT(DISTINCT author_id) AS unique_authors,"
                                + " SUM(followers) AS reach,"
                                + " SUM(engagement) AS engagement,"
                                + " AVG(sentiment) AS sentiment,"
                                + " SUM(CASE WHEN sentiment <= -0.05 THEN 1 ELSE 0 END) AS negative"
                                + " FROM TABLE(TUMBLE(TABLE enriched, DESCRIPTOR(rowtime),"
                                + " INTERVAL '"
                                + windowSize.toSeconds()
                                + "' SECOND))"
                                + " GROUP BY brand, topic, window_start, window_end");
        tables.toDataStream(aggregates).sinkTo(sink).name("discard");
    }

    /** The mentions an aggregate row covers when it is a (brand, all) row, else 0. */
    static long brandMentions(Row row) {
        return WindowAggregate.ALL_TOPICS.equals(row.getField("topic"))
                ? row.<Long>getFieldAs("mentions")
                : 0;
    }

    /** Parses and validates a record; a bad record yields no row (the job would dead-letter it). */
    static final class Parse extends RichFlatMapFunction<byte[], Row> {
        private static final long serialVersionUID = 1L;
        private final PipelineSettings settings;
        private transient MentionParser parser;

        Parse(PipelineSettings settings) {
            this.settings = settings;
        }

        @Override
        public void open(OpenContext context) {
            parser = BenchmarkCommand.parser(settings);
        }

        @Override
        public void flatMap(byte[] value, Collector<Row> out) {
            MentionParser.Result r = parser.parse(value);
            if (!r.ok()) {
                return;
            }
            Mention m = r.mention();
            out.collect(
                    Row.of(
                            m.id(),
                            m.eventTimeMillis(),
                            m.author().id(),
                            m.author().handle(),
                            m.author().followers(),
                            m.engagement().total(),
                            m.text()));
        }
    }

    /**
     * {@code ENRICH(text, author_handle)}: one row per (brand, topic) of the text, (brand, 'all')
     * included, each with the text's language and sentiment; no row when no brand matches.
     */
    @FunctionHint(
            output =
                    @DataTypeHint("ROW<brand STRING, topic STRING, lang STRING, sentiment DOUBLE>"))
    public static final class Enrich extends TableFunction<Row> {
        private static final long serialVersionUID = 1L;
        private final BrandRules rules;
        private final SentimentScorer sentiment;
        private transient BrandMatcher matcher;
        private transient LanguageDetector languages;

        Enrich(BrandRules rules, SentimentScorer sentiment) {
            this.rules = rules;
            this.sentiment = sentiment;
        }

        @Override
        public void open(FunctionContext context) {
            matcher = BrandMatcher.compile(rules);
            languages = OptimaizeLanguageDetector.create().warmUp();
            sentiment.score("ok", "en");
        }

        /** Called by the SQL runtime per mention. */
        public void eval(String text, String authorHandle) {
            BrandMatcher.Match match = matcher.match(text, authorHandle, List.of(), List.of());
            if (match.brands().isEmpty()) {
                return;
            }
            String lang = languages.detect(text);
            double score = sentiment.score(text, lang).score();
            for (String brand : match.brands()) {
                collect(Row.of(brand, WindowAggregate.ALL_TOPICS, lang, score));
                for (String topic : match.topics()) {
                    collect(Row.of(brand, topic, lang, score));
                }
            }
        }
    }
}
