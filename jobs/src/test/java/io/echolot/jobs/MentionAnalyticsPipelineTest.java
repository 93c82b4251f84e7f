package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.alert.Alert;
import io.echolot.alert.AlertState;
import io.echolot.alert.AlertType;
import io.echolot.alert.Severity;
import io.echolot.deadletter.DeadLetter;
import io.echolot.deadletter.RawRecord;
import io.echolot.detect.BaselineSettings;
import io.echolot.detect.SpikeSettings;
import io.echolot.detect.SyntheticCounts;
import io.echolot.ingest.MentionParser;
import io.echolot.ingest.ParsedRecord;
import io.echolot.model.Mention;
import io.echolot.model.WindowAggregate;
import io.echolot.rules.BrandRules;
import io.echolot.sentiment.LexiconSentimentScorer;
import io.echolot.testing.CollectingSink;
import io.echolot.testing.Mentions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole workflow on a MiniCluster with bounded input: window bounds, dead letters, counts. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MentionAnalyticsPipelineTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0.plus(Duration.ofHours(1)), ZoneOffset.UTC);

    static final DetectionSettings DETECTION =
            new DetectionSettings(
                    Duration.ofMinutes(5),
                    10,
                    1.5,
                    3.0,
                    1,
                    Duration.ofMinutes(10),
                    10,
                    Duration.ofDays(7),
                    java.util.Set.of("nebenwirkung"),
                    SpikeSettings.defaults(),
                    Duration.ofMinutes(15),
                    5);

    static final PipelineSettings SETTINGS =
            new PipelineSettings(
                    Duration.ofMinutes(1),
                    Duration.ZERO,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(30),
                    Duration.ofMinutes(10),
                    Duration.ofDays(7),
                    65536,
                    10,
                    20,
                    2,
                    Duration.ofHours(24),
                    MentionAnalyticsPipelineTest.DETECTION,
                    null,
                    CLOCK,
                    new LexiconSentimentScorer());

    record Output(
            List<Mention> mentions,
            List<WindowAggregate> aggregates,
            List<DeadLetter> deadLetters,
            List<Mention> late,
            List<Alert> alerts) {}

    static Output run(List<RawRecord> input) throws Exception {
        return run(input, SETTINGS);
    }

    static Output run(List<RawRecord> input, PipelineSettings settings) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        CollectingSink<Mention> mentions = new CollectingSink<>();
        CollectingSink<WindowAggregate> aggregates = new CollectingSink<>();
        CollectingSink<DeadLetter> dead = new CollectingSink<>();
        CollectingSink<Mention> late = new CollectingSink<>();
        CollectingSink<Alert> alerts = new CollectingSink<>();
        // parsed with the parser the Kafka source uses, stamped with the source's watermarks
        MentionParser parser =
                new MentionParser(
                        settings.maxEventBytes(),
                        settings.maxEventFuture(),
                        settings.clock(),
                        settings.fanOutLimits());
        List<ParsedRecord> parsed = input.stream().map(r -> ParsedRecord.of(r, parser)).toList();
        MentionAnalyticsPipeline.defineWorkflow(
                env.fromData(parsed, TypeInformation.of(ParsedRecord.class))
                        .assignTimestampsAndWatermarks(
                                MentionAnalyticsPipeline.watermarks(SETTINGS)),
                new MentionAnalyticsPipeline.Sinks(
                        mentions, aggregates, dead, late, alerts, new CollectingSink<>()),
                settings);
        env.execute("pipeline-test");
        return new Output(
                mentions.values(),
                aggregates.values(),
                dead.values(),
                late.values(),
                alerts.values());
    }

    private static List<RawRecord> validInput() {
        List<RawRecord> in = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < 3; i++) {
            in.add(
                    Mentions.raw(
                            Mentions.mention(
                                    "acme-" + i, "acme", List.of("price"), T0.plusSeconds(10 + i)),
                            offset++));
        }
        in.add(
                Mentions.raw(
                        Mentions.mention("acme-3", "acme", List.of(), T0.plusSeconds(65)),
                        offset++));
        in.add(
                Mentions.raw(
                        Mentions.mention("globex-0", "globex", List.of(), T0.plusSeconds(59)),
                        offset++));
        return in;
    }

    private static String describe(WindowAggregate a) {
        return a.brand()
                + "/"
                + a.topic()
                + " ["
                + a.windowStart()
                + ", "
                + a.windowEnd()
                + ") = "
                + a.mentions();
    }

    @Test
    void aggregatesPerBrandAndTopicWithWindowBounds() throws Exception {
        Output out = run(validInput());

        assertThat(out.aggregates())
                .extracting(MentionAnalyticsPipelineTest::describe)
                .containsExactlyInAnyOrder(
                        "acme/all [2026-11-23T10:00:00Z, 2026-11-23T10:01:00Z) = 3",
                        "acme/price [2026-11-23T10:00:00Z, 2026-11-23T10:01:00Z) = 3",
                        "acme/all [2026-11-23T10:01:00Z, 2026-11-23T10:02:00Z) = 1",
                        "globex/all [2026-11-23T10:00:00Z, 2026-11-23T10:01:00Z) = 1");
        WindowAggregate acme =
                out.aggregates().stream()
                        .filter(
                                a ->
                                        a.brand().equals("acme")
                                                && a.topic().equals("all")
                                                && a.mentions() == 3)
                        .findFirst()
                        .orElseThrow();
        assertThat(acme.uniqueAuthors()).isEqualTo(3);
        assertThat(acme.reach()).isEqualTo(300);
        assertThat(acme.engagement().total()).isEqualTo(3);
        assertThat(acme.platforms()).containsExactly(java.util.Map.entry("x", 3L));
        assertThat(acme.topMentions()).hasSize(2);
        assertThat(out.mentions()).hasSize(5);
        assertThat(out.deadLetters()).isEmpty();
        assertThat(out.late()).isEmpty();
    }

    @Test
    void sendsMalformedRecordsToDeadLettersAndLeavesTheWindowsUnchanged() throws Exception {
        List<RawRecord> withBad = new ArrayList<>(validInput());
        withBad.add(1, Mentions.raw("this is not json", 100));
        withBad.add(
                3,
                Mentions.raw(
                        "{\"id\":\"x\",\"platform\":\"x\",\"created_at\":\"2026-11-23T10:00:30Z\",\"text\":\"no author\"}",
                        101));
        withBad.add(new RawRecord("mentions", 1, 102, 0L, null, null));
        withBad.add(
                Mentions.raw(
                        "{\"id\":\"y\",\"platform\":\"x\",\"created_at\":\"2027-01-01T00:00:00Z\",\"text\":\"t\",\"author\":{\"id\":\"a\"}}",
                        103));

        Output clean = run(validInput());
        Output dirty = run(withBad);

        assertThat(dirty.aggregates()).containsExactlyInAnyOrderElementsOf(clean.aggregates());
        assertThat(dirty.mentions()).containsExactlyInAnyOrderElementsOf(clean.mentions());
        assertThat(dirty.deadLetters())
                .extracting(d -> d.source().offset() + ": " + d.stage())
                .containsExactlyInAnyOrder("100: parse", "101: parse", "102: parse", "103: parse");
        DeadLetter notJson =
                dirty.deadLetters().stream()
                        .filter(d -> d.source().offset() == 100)
                        .findFirst()
                        .orElseThrow();
        assertThat(notJson.reason()).startsWith("not valid JSON");
        assertThat(new String(notJson.source().value(), StandardCharsets.UTF_8))
                .isEqualTo("this is not json");
        assertThat(
                        dirty.deadLetters().stream()
                                .filter(d -> d.source().offset() == 101)
                                .findFirst()
                                .orElseThrow()
                                .reason())
                .contains("author");
        assertThat(
                        dirty.deadLetters().stream()
                                .filter(d -> d.source().offset() == 103)
                                .findFirst()
                                .orElseThrow()
                                .reason())
                .contains("in the future");
    }

    @Test
    void aBurstOfNegativeMentionsOpensOneAlertThatResolvesAfterTheCooldown() throws Exception {
        List<RawRecord> in = new ArrayList<>();
        long offset = 0;
        // twelve quiet minutes: 10 mentions each, 2 of them negative
        for (int minute = 0; minute < 12; minute++) {
            for (int i = 0; i < 10; i++) {
                Mention m =
                        Mentions.mention(
                                "q" + minute + "-" + i,
                                "acme",
                                List.of(),
                                T0.plusSeconds(minute * 60L + i));
                in.add(Mentions.raw(Mentions.withSentiment(m, i < 2 ? -0.6 : 0.4), offset++));
            }
        }
        // then two minutes in which 25 of 30 mentions are negative
        for (int minute = 12; minute < 14; minute++) {
            for (int i = 0; i < 30; i++) {
                Mention m =
                        Mentions.mention(
                                "b" + minute + "-" + i,
                                "acme",
                                List.of(),
                                T0.plusSeconds(minute * 60L + i));
                if (i < 25) {
                    m = withText(m, "Lieferengpass, seit Wochen keine Tabletten " + i);
                }
                in.add(Mentions.raw(Mentions.withSentiment(m, i < 25 ? -0.8 : 0.3), offset++));
            }
        }
        Output out = run(in);

        assertThat(out.alerts())
                .extracting(a -> a.type() + " " + a.state() + " v" + a.version())
                .containsExactly(
                        AlertType.NEGATIVE_BURST + " " + AlertState.OPEN + " v1",
                        AlertType.NEGATIVE_BURST + " " + AlertState.RESOLVED + " v2");
        Alert open = out.alerts().get(0);
        assertThat(open.brand()).isEqualTo("acme");
        assertThat(open.topic()).isEqualTo("all");
        assertThat(open.windowStart()).isEqualTo(T0.plusSeconds(12 * 60));
        assertThat(open.observed()).isEqualTo(25);
        assertThat(open.expected()).isBetween(5.0, 9.0);
        assertThat(open.id()).isEqualTo(out.alerts().get(1).id());
        assertThat(out.alerts().get(1).resolvedAt())
                .isEqualTo(T0.plusSeconds(14 * 60).plus(DETECTION.alertCooldown()));
        // explained by the negative mentions of its window against the quiet minutes
        assertThat(open.drivers()).isNotNull();
        assertThat(open.drivers().mentions()).isEqualTo(25);
        assertThat(open.drivers().drivers()).isNotEmpty();
        assertThat(open.drivers().drivers().subList(0, 3))
                .extracting(d -> d.kind() + " " + d.value() + " " + d.observed())
                .containsExactlyInAnyOrder(
                        "term lieferengpass 25", "term wochen 25", "term tabletten 25");
        assertThat(out.alerts().get(1).drivers()).isEqualTo(open.drivers());
    }

    /**
     * The demo setting: 15-second windows, a 5-minute spike warm-up, a steady Poisson rate, then
     * ten times that rate for four windows (half of it reshares of one post), then the steady rate
     * again. Exactly one spike alert: opened at the first spike window, resolved after the alert
     * cooldown; nothing before or after.
     */
    @Test
    void aTenfoldSpikeAfterAShortWarmUpOpensExactlyOneSpikeAlert() throws Exception {
        Duration window = Duration.ofSeconds(15);
        BaselineSettings b = BaselineSettings.defaults();
        SpikeSettings spike =
                SpikeSettings.standard(
                        new BaselineSettings(
                                Duration.ofMinutes(5),
                                b.levelHalfLife(),
                                b.seasonHalfLife(),
                                b.dispersionHalfLife(),
                                b.clipSigmas(),
                                b.calibrationHalfLife(),
                                b.idleTimeout()),
                        SpikeSettings.EXTREME_TAIL,
                        SpikeSettings.RISING_TAIL,
                        SpikeSettings.REPEATED_TAIL,
                        SpikeSettings.MIN_COUNT,
                        SpikeSettings.MIN_RATIO,
                        SpikeSettings.COOLDOWN);
        DetectionSettings detection =
                new DetectionSettings(
                        DETECTION.alertCooldown(),
                        DETECTION.negativeMinCount(),
                        DETECTION.negativeMinLift(),
                        DETECTION.negativeMinZ(),
                        DETECTION.negativeWindows(),
                        DETECTION.negativeWithin(),
                        DETECTION.negativeWarmupWindows(),
                        DETECTION.baselineIdleTimeout(),
                        DETECTION.adverseEventTopics(),
                        spike,
                        DETECTION.emergingWindow(),
                        DETECTION.emergingMinCount());
        PipelineSettings demo =
                new PipelineSettings(
                        window,
                        Duration.ZERO,
                        SETTINGS.outOfOrderness(),
                        SETTINGS.idleness(),
                        SETTINGS.maxEventFuture(),
                        SETTINGS.maxEventAge(),
                        SETTINGS.maxEventBytes(),
                        SETTINGS.maxBrands(),
                        SETTINGS.maxTopics(),
                        3,
                        SETTINGS.dedupWindow(),
                        detection,
                        null,
                        SETTINGS.clock(),
                        new LexiconSentimentScorer());
        double rate = 5; // mentions per 15 s window
        int warmUp = 20; // 5 minutes
        int steady = 40; // 10 minutes scored before the spike
        int spikeWindows = 4;
        int after = 40;
        int total = warmUp + steady + spikeWindows + after;
        long[] counts = SyntheticCounts.poisson(total, i -> rate, 11);
        int spikeStart = warmUp + steady;
        for (int w = spikeStart; w < spikeStart + spikeWindows; w++) {
            counts[w] = SyntheticCounts.poisson(1, i -> 10 * rate, 100 + w)[0];
        }
        List<RawRecord> in = new ArrayList<>();
        long offset = 0;
        for (int w = 0; w < total; w++) {
            Instant start = T0.plus(window.multipliedBy(w));
            for (int j = 0; j < counts[w]; j++) {
                Instant at = start.plusMillis(j * window.toMillis() / counts[w]);
                Mention m = Mentions.mention("w" + w + "-" + j, "acme", List.of(), at);
                if (w >= spikeStart && w < spikeStart + spikeWindows && j % 2 == 1) {
                    m =
                            withText(
                                    Mentions.reshareOf(m, "viral-post"),
                                    "RT: Die Sohle löst sich nach zwei Tagen");
                }
                in.add(Mentions.raw(m, offset++));
            }
        }

        Output out = run(in, demo);

        assertThat(out.alerts())
                .extracting(a -> a.type() + " " + a.state() + " v" + a.version())
                .containsExactly(
                        AlertType.VIRAL_SPIKE + " " + AlertState.OPEN + " v1",
                        AlertType.VIRAL_SPIKE + " " + AlertState.RESOLVED + " v2");
        Alert open = out.alerts().get(0);
        Instant spikeAt = T0.plus(window.multipliedBy(spikeStart));
        assertThat(open.brand()).isEqualTo("acme");
        assertThat(open.topic()).isEqualTo("all");
        assertThat(open.windowStart()).isEqualTo(spikeAt);
        assertThat(open.observed()).isGreaterThanOrEqualTo(30);
        assertThat(open.expected()).isBetween(3.0, 8.0);
        assertThat(open.severity()).isIn(Severity.HIGH, Severity.CRITICAL);
        assertThat(open.topMentions()).isNotEmpty();
        assertThat(open.topMentions())
                .allSatisfy(t -> assertThat(t.id()).startsWith("w" + spikeStart + "-"));
        assertThat(open.platforms()).containsOnlyKeys("x");
        assertThat(open.reshareShare()).isBetween(0.4, 0.6);
        assertThat(open.velocity()).isGreaterThanOrEqualTo(20L);
        assertThat(out.alerts().get(1).id()).isEqualTo(open.id());
        // the viral post's words drive it: each reshare carries them, the baseline never did
        assertThat(open.drivers()).isNotNull();
        assertThat(open.drivers().mentions()).isEqualTo((long) open.observed());
        assertThat(open.drivers().drivers().subList(0, 2))
                .extracting(d -> d.kind() + " " + d.value())
                .containsExactlyInAnyOrder("phrase sohle loest", "phrase zwei tagen");
        assertThat(open.drivers().drivers().get(0).observed()).isEqualTo(counts[spikeStart] / 2);
        // later spike windows continue the incident: it resolves a cooldown after the last
        // surprising one, later than after the opening window alone, never after the spike
        Instant spikeEnd = T0.plus(window.multipliedBy(spikeStart + spikeWindows));
        assertThat(out.alerts().get(1).resolvedAt())
                .isAfter(open.windowEnd().plus(detection.alertCooldown()))
                .isBeforeOrEqualTo(spikeEnd.plus(detection.alertCooldown()));
    }

    private static Mention withText(Mention m, String text) {
        return m.toBuilder().text(text).threadRoot(null).brandAccount(null).build();
    }

    private static RawRecord in0(String tpl) {
        return event(
                tpl.formatted(
                        "m1",
                        1,
                        "@cardiofit_de Seit ich Cardiofit nehme, habe ich Schwindel. Ist das eine bekannte Nebenwirkung?",
                        "1",
                        ""),
                4);
    }

    private static RawRecord event(String json, long offset) {
        return Mentions.raw(json, offset);
    }

    @Test
    void assignsBrandsTopicsAndLanguageFromTheRulesAndDropsMentionsOfNoBrand() throws Exception {
        PipelineSettings withRules =
                new PipelineSettings(
                        SETTINGS.windowSize(),
                        SETTINGS.allowedLateness(),
                        SETTINGS.outOfOrderness(),
                        SETTINGS.idleness(),
                        SETTINGS.maxEventFuture(),
                        SETTINGS.maxEventAge(),
                        SETTINGS.maxEventBytes(),
                        SETTINGS.maxBrands(),
                        SETTINGS.maxTopics(),
                        SETTINGS.topMentions(),
                        SETTINGS.dedupWindow(),
                        DETECTION,
                        BrandRules.loadResource("echolot/rules/example-rules.yaml"),
                        SETTINGS.clock(),
                        new LexiconSentimentScorer());
        String tpl =
                "{\"id\":\"%s\",\"platform\":\"x\",\"created_at\":\"2026-11-23T10:00:%02dZ\",\"text\":\"%s\",\"author\":{\"id\":\"a%s\"}%s}";
        List<RawRecord> in =
                List.of(
                        event(
                                tpl.formatted(
                                        "m1",
                                        1,
                                        "@cardiofit_de Seit ich Cardiofit nehme, habe ich Schwindel. Ist das eine bekannte Nebenwirkung?",
                                        "1",
                                        ""),
                                0),
                        event(
                                tpl.formatted(
                                        "m2",
                                        2,
                                        "@strider_running The Strider app keeps crashing after the latest update, please fix it",
                                        "2",
                                        ""),
                                1),
                        event(
                                tpl.formatted(
                                        "m3",
                                        3,
                                        "Heute ist schönes Wetter in Berlin und alle sind draußen im Park",
                                        "3",
                                        ""),
                                2),
                        event(
                                tpl.formatted(
                                        "m4",
                                        4,
                                        "Kein Markenname hier, aber die Marke steht im Event",
                                        "4",
                                        ",\"brands\":[\"strider\"],\"lang\":\"fr\""),
                                3),
                        // the same post delivered twice raises one adverse-event alert
                        in0(tpl));

        Output out = run(in, withRules);

        assertThat(out.mentions())
                .extracting(m -> m.id() + " " + m.brands() + " " + m.topics() + " " + m.lang())
                .containsExactlyInAnyOrder(
                        "m1 [cardiofit] [nebenwirkung] de",
                        "m2 [strider] [app] en",
                        "m4 [strider] [] fr");
        List<Alert> adverse =
                out.alerts().stream().filter(a -> a.type() != AlertType.UNANSWERED).toList();
        assertThat(adverse)
                .extracting(a -> a.type() + " " + a.id() + " " + a.brand() + " " + a.severity())
                .containsExactly("ADVERSE_EVENT adverse_event|m1 cardiofit HIGH");
        assertThat(adverse.get(0).topMentions()).extracting(t -> t.id()).containsExactly("m1");
        // customer care: a question about side effects to @cardiofit_de and a complaint to
        // @strider_running about the app, both high priority (adverse-event topic, strider's
        // high-priority topic app), nobody answered
        assertThat(out.alerts())
                .filteredOn(a -> a.type() == AlertType.UNANSWERED)
                .extracting(a -> a.id() + " " + a.state() + " " + a.severity())
                .containsExactlyInAnyOrder(
                        "unanswered|cardiofit|m1 OPEN HIGH", "unanswered|strider|m2 OPEN HIGH");
        // no upstream score: the built-in scorer decides; an app that keeps crashing is negative
        Mention crash =
                out.mentions().stream().filter(m -> m.id().equals("m2")).findFirst().orElseThrow();
        assertThat(crash.sentiment()).isLessThan(-0.05);
        assertThat(out.aggregates())
                .extracting(MentionAnalyticsPipelineTest::describe)
                .contains(
                        "cardiofit/nebenwirkung [2026-11-23T10:00:00Z, 2026-11-23T10:01:00Z) = 1",
                        "strider/all [2026-11-23T10:00:00Z, 2026-11-23T10:01:00Z) = 2");
    }

    private static PipelineSettings withLimits(int maxBrands, int maxTopics, BrandRules rules) {
        return new PipelineSettings(
                SETTINGS.windowSize(),
                SETTINGS.allowedLateness(),
                SETTINGS.outOfOrderness(),
                SETTINGS.idleness(),
                SETTINGS.maxEventFuture(),
                SETTINGS.maxEventAge(),
                SETTINGS.maxEventBytes(),
                maxBrands,
                maxTopics,
                SETTINGS.topMentions(),
                SETTINGS.dedupWindow(),
                DETECTION,
                rules,
                SETTINGS.clock(),
                new LexiconSentimentScorer());
    }

    @Test
    void aMentionOlderThanTheMaxEventAgeGoesToTheLateSinkAndIsNeitherIndexedNorAggregated()
            throws Exception {
        List<RawRecord> withOld = new ArrayList<>(validInput());
        // the clock says T0 + 1 h; the age limit is 7 days
        Instant eightDaysAgo = T0.minus(Duration.ofDays(8));
        withOld.add(
                2,
                Mentions.raw(
                        Mentions.mention("old-0", "acme", List.of("price"), eightDaysAgo), 50));

        Output clean = run(validInput());
        Output out = run(withOld);

        assertThat(out.late()).extracting(Mention::id).containsExactly("old-0");
        assertThat(out.late().get(0).createdAt()).isEqualTo(eightDaysAgo);
        assertThat(out.mentions()).extracting(Mention::id).doesNotContain("old-0");
        assertThat(out.mentions()).containsExactlyInAnyOrderElementsOf(clean.mentions());
        assertThat(out.aggregates()).containsExactlyInAnyOrderElementsOf(clean.aggregates());
        assertThat(out.deadLetters()).isEmpty();
    }

    @Test
    void aMentionWithMoreBrandsOrTopicsThanTheLimitsIsADeadLetterAndNothingElse() throws Exception {
        PipelineSettings limited = withLimits(2, 3, null);
        Instant at = T0.plusSeconds(20);
        List<RawRecord> withWide = new ArrayList<>(validInput());
        Mention threeBrands = Mentions.mention("wide-brands", "acme", List.of(), at);
        threeBrands =
                threeBrands.toBuilder()
                        .brands(List.of("acme", "globex", "initech"))
                        .topics(List.of())
                        .sentiment(null)
                        .reshareOf(null)
                        .replyTo(null)
                        .threadRoot(null)
                        .brandAccount(null)
                        .build();
        withWide.add(1, Mentions.raw(threeBrands, 200));
        withWide.add(
                Mentions.raw(
                        Mentions.mention("wide-topics", "acme", List.of("a", "b", "c", "d"), at),
                        201));

        Output clean = run(validInput(), limited);
        Output out = run(withWide, limited);

        assertThat(out.deadLetters())
                .extracting(d -> d.source().offset() + ": " + d.stage() + ": " + d.reason())
                .containsExactlyInAnyOrder(
                        "200: parse: 3 brands, more than the limit of 2 per mention",
                        "201: parse: 4 topics, more than the limit of 3 per mention");
        assertThat(out.mentions()).containsExactlyInAnyOrderElementsOf(clean.mentions());
        assertThat(out.aggregates()).containsExactlyInAnyOrderElementsOf(clean.aggregates());
        assertThat(out.late()).isEmpty();
    }

    @Test
    void brandsTheRulesAddCountTowardsTheLimit() throws Exception {
        PipelineSettings oneBrand =
                withLimits(1, 20, BrandRules.loadResource("echolot/rules/example-rules.yaml"));
        String tpl =
                "{\"id\":\"%s\",\"platform\":\"x\",\"created_at\":\"2026-11-23T10:00:0%dZ\",\"text\":\"%s\",\"author\":{\"id\":\"a%s\"}}";
        List<RawRecord> in =
                List.of(
                        event(
                                tpl.formatted(
                                        "one", 1, "Cardiofit wirkt, der Blutdruck ist gut", "1"),
                                0),
                        event(
                                tpl.formatted(
                                        "two", 2, "Cardiofit und Strider sind beide zu teuer", "2"),
                                1));

        Output out = run(in, oneBrand);

        assertThat(out.mentions()).extracting(Mention::id).containsExactly("one");
        assertThat(out.deadLetters()).hasSize(1);
        DeadLetter wide = out.deadLetters().get(0);
        assertThat(wide.stage()).isEqualTo(DeadLetter.STAGE_ENRICH);
        assertThat(wide.reason())
                .isEqualTo(
                        "2 brands, more than the limit of 1 per mention after matching the rules");
        // the enriched mention as an event, which reads back
        Mention back =
                new MentionParser(65536, Duration.ofMinutes(10), CLOCK)
                        .parse(wide.source().value())
                        .mention();
        assertThat(back.id()).isEqualTo("two");
        assertThat(back.brands()).containsExactlyInAnyOrder("cardiofit", "strider");
        assertThat(out.aggregates())
                .extracting(MentionAnalyticsPipelineTest::describe)
                .containsExactlyInAnyOrder(
                        "cardiofit/all [2026-11-23T10:00:00Z, 2026-11-23T10:01:00Z) = 1",
                        "cardiofit/wirkung [2026-11-23T10:00:00Z, 2026-11-23T10:01:00Z) = 1");
    }
}
