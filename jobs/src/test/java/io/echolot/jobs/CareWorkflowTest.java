package io.echolot.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.alert.Alert;
import io.echolot.alert.AlertState;
import io.echolot.alert.AlertType;
import io.echolot.alert.Severity;
import io.echolot.care.CareFigures;
import io.echolot.deadletter.RawRecord;
import io.echolot.ingest.MentionParser;
import io.echolot.ingest.ParsedRecord;
import io.echolot.model.Author;
import io.echolot.model.Engagement;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import io.echolot.model.WindowAggregate;
import io.echolot.rules.BrandRules;
import io.echolot.sentiment.LexiconSentimentScorer;
import io.echolot.testing.CollectingSink;
import io.echolot.testing.Mentions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Customer care through the whole workflow on a MiniCluster: answered in time, answered late, never
 * answered, a reply read before the complaint, a high-reach author's shorter SLA for a question
 * under the brand's own post, a question not to the brand ignored, a follow-up reopening an alert;
 * the response-time figures from the known input; brand replies kept out of customer windows.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CareWorkflowTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0.plus(Duration.ofHours(3)), ZoneOffset.UTC);

    static final String RULES =
            """
            brands:
              - id: acme
                names: [Acme]
                handles: [acme]
                care:
                  accounts:
                    x: [acme_care]
                  sla: {normal: 60 min, high: 15 min}
                  high_priority: {min_followers: 10000, customer_tiers: [gold]}
            """;

    static final PipelineSettings SETTINGS =
            new PipelineSettings(
                    Duration.ofMinutes(1),
                    Duration.ZERO,
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(30),
                    Duration.ofMinutes(10),
                    Duration.ofDays(7),
                    65536,
                    10,
                    20,
                    2,
                    Duration.ofHours(24),
                    MentionAnalyticsPipelineTest.DETECTION,
                    BrandRules.parse(RULES, "care-test-rules"),
                    CLOCK,
                    new LexiconSentimentScorer());

    static List<Alert> alerts;
    static List<CareFigures> figures;
    static List<WindowAggregate> aggregates;

    static Mention post(
            String id, String author, long followers, Duration at, String text, String replyTo) {
        return Mention.builder()
                .id(id)
                .platform(Platform.X)
                .createdAt(T0.plus(at))
                .text(text)
                .lang("en")
                .author(new Author("id-" + author, author, followers))
                .brands(List.of())
                .topics(List.of())
                .engagement(Engagement.NONE)
                .replyTo(replyTo)
                .build();
    }

    static Mention inThread(Mention m, String threadRoot) {
        return Mentions.inThread(m, m.replyTo(), threadRoot);
    }

    static Mention complaint(String id, Duration at) {
        return post(id, "cust-" + id, 100, at, "@acme_care my Acme order never arrived", null);
    }

    static Mention reply(String id, String to, Duration at) {
        return post(id, "acme_care", 5000, at, "Sorry! We are on it, please DM us", to);
    }

    @BeforeAll
    static void run() throws Exception {
        // read in event-time order (the watermark allows 1 min), except where noted
        List<Mention> in = new ArrayList<>();
        // A: answered after 20 min, within the 60 min SLA
        in.add(complaint("c1", Duration.ofMinutes(0)));
        // B: answered after 74 min, 14 min late
        in.add(complaint("c2", Duration.ofMinutes(1)));
        // C: never answered
        in.add(complaint("c3", Duration.ofMinutes(2)));
        // D: the reply is read before the complaint it answers 30 s later
        in.add(reply("r4", "c4", Duration.ofSeconds(210)));
        in.add(complaint("c4", Duration.ofMinutes(3)));
        // E: a high-reach author asks under the brand's own post (conversation b0): addressed to
        // the brand, 15 min SLA, answered after 26 min
        in.add(
                inThread(
                        post(
                                "b0",
                                "acme_care",
                                5000,
                                Duration.ofSeconds(210),
                                "Acme 2.0 is out",
                                null),
                        "b0"));
        in.add(
                inThread(
                        post(
                                "c5",
                                "influencer",
                                50_000,
                                Duration.ofMinutes(4),
                                "Is Acme down?",
                                "b0"),
                        "b0"));
        // customer posts that need no answer: praise, and a question to the world, not the brand
        in.add(post("n1", "fan", 10, Duration.ofMinutes(5), "Acme is great", null));
        in.add(post("n3", "fan3", 10, Duration.ofMinutes(6), "Does Acme work offline?", null));
        in.add(reply("r1", "c1", Duration.ofMinutes(20)));
        in.add(inThread(reply("r5", "c5", Duration.ofMinutes(30)), "b0"));
        // F (next hour's window): answered 4 min late, then the customer follows up in the
        // thread without naming the account and waits again: the same alert reopens
        in.add(complaint("c6", Duration.ofMinutes(61)));
        in.add(reply("r2", "c2", Duration.ofMinutes(75)));
        in.add(inThread(reply("r6", "c6", Duration.ofMinutes(125)), "c6"));
        in.add(
                inThread(
                        post(
                                "f6",
                                "cust-c6",
                                100,
                                Duration.ofMinutes(127),
                                "Still no Acme refund, why?",
                                "r6"),
                        "c6"));
        // moves event time past every SLA before the end of input
        in.add(post("n2", "fan2", 10, Duration.ofMinutes(150), "Acme again", null));

        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        CollectingSink<Alert> alertSink = new CollectingSink<>();
        CollectingSink<CareFigures> careSink = new CollectingSink<>();
        CollectingSink<WindowAggregate> aggregateSink = new CollectingSink<>();
        MentionParser parser =
                new MentionParser(
                        SETTINGS.maxEventBytes(),
                        SETTINGS.maxEventFuture(),
                        SETTINGS.clock(),
                        SETTINGS.fanOutLimits());
        List<ParsedRecord> parsed = new ArrayList<>();
        long offset = 0;
        for (Mention m : in) {
            RawRecord raw = Mentions.raw(Mentions.eventBytes(m), offset++);
            parsed.add(ParsedRecord.of(raw, parser));
        }
        // one source subtask, so the records are read in the order above
        MentionAnalyticsPipeline.defineWorkflow(
                env.fromData(parsed, TypeInformation.of(ParsedRecord.class))
                        .setParallelism(1)
                        .assignTimestampsAndWatermarks(
                                MentionAnalyticsPipeline.watermarks(SETTINGS))
                        .setParallelism(1),
                null,
                new MentionAnalyticsPipeline.Sinks(
                        new CollectingSink<>(),
                        aggregateSink,
                        new CollectingSink<>(),
                        new CollectingSink<>(),
                        alertSink,
                        new CollectingSink<>(),
                        null,
                        careSink),
                SETTINGS,
                CareSettings.defaults());
        env.execute("care-test");
        alerts = alertSink.values().stream().filter(a -> a.type() == AlertType.UNANSWERED).toList();
        figures = careSink.values();
        aggregates = aggregateSink.values();
    }

    private static List<Alert> statesOf(String conversation) {
        return alerts.stream()
                .filter(a -> a.id().equals("unanswered|acme|" + conversation))
                .sorted(java.util.Comparator.comparingInt(Alert::version))
                .toList();
    }

    @Test
    void answeredInTimeRaisesNoAlert() {
        assertThat(statesOf("c1")).isEmpty();
        assertThat(statesOf("n3")).as("a question not to the brand").isEmpty();
        assertThat(statesOf("c4")).as("reply read before the complaint").isEmpty();
    }

    @Test
    void answeredLateOpensThenResolvesWithTheLateness() {
        List<Alert> c2 = statesOf("c2");
        assertThat(c2)
                .extracting(Alert::state)
                .containsExactly(AlertState.OPEN, AlertState.RESOLVED);
        assertThat(c2.get(0).openedAt()).isEqualTo(T0.plus(Duration.ofMinutes(61)));
        assertThat(c2.get(0).severity()).isEqualTo(Severity.MEDIUM);
        assertThat(c2.get(0).care().priority()).isEqualTo("normal");
        assertThat(c2.get(1).care().answeredAt()).isEqualTo(T0.plus(Duration.ofMinutes(75)));
        assertThat(c2.get(1).care().lateByMillis()).isEqualTo(Duration.ofMinutes(14).toMillis());
        assertThat(c2.get(1).resolvedAt()).isEqualTo(T0.plus(Duration.ofMinutes(75)));
    }

    @Test
    void aFollowUpLeftWaitingReopensTheAlertWithItsNextVersion() {
        List<Alert> c6 = statesOf("c6");
        assertThat(c6)
                .extracting(a -> a.version() + " " + a.state())
                .containsExactly("1 OPEN", "2 RESOLVED", "3 OPEN");
        assertThat(c6.get(1).care().lateByMillis()).isEqualTo(Duration.ofMinutes(4).toMillis());
        Alert reopened = c6.get(2);
        assertThat(reopened.openedAt()).isEqualTo(T0.plus(Duration.ofMinutes(187)));
        assertThat(reopened.topMentions().get(0).id()).isEqualTo("f6");
        assertThat(reopened.care().reason()).isEqualTo("conversation");
    }

    @Test
    void neverAnsweredStaysOpen() {
        List<Alert> c3 = statesOf("c3");
        assertThat(c3).extracting(Alert::state).containsExactly(AlertState.OPEN);
        assertThat(c3.get(0).topMentions().get(0).id()).isEqualTo("c3");
        assertThat(c3.get(0).care().dueAt()).isEqualTo(T0.plus(Duration.ofMinutes(62)));
    }

    @Test
    void highReachAuthorGetsTheShorterSla() {
        List<Alert> c5 = statesOf("b0");
        assertThat(c5)
                .extracting(Alert::state)
                .containsExactly(AlertState.OPEN, AlertState.RESOLVED);
        assertThat(c5.get(0).severity()).isEqualTo(Severity.HIGH);
        assertThat(c5.get(0).care().slaMillis()).isEqualTo(Duration.ofMinutes(15).toMillis());
        assertThat(c5.get(0).care().reason()).isEqualTo("conversation");
        assertThat(c5.get(0).topMentions().get(0).id()).isEqualTo("c5");
        assertThat(c5.get(1).care().lateByMillis()).isEqualTo(Duration.ofMinutes(11).toMillis());
    }

    @Test
    void responseTimeFiguresOfTheWindow() {
        // the last figures of acme / all / x for 10:00-11:00 (items c1..c5): one subtask emits
        // them in order
        CareFigures f =
                figures.stream()
                        .filter(x -> x.topic().equals("all") && x.windowStart().equals(T0))
                        .reduce((a, b) -> b)
                        .orElseThrow();
        assertThat(f.asOf()).isEqualTo(T0.plus(Duration.ofMinutes(75)));
        assertThat(f.brand()).isEqualTo("acme");
        assertThat(f.platform()).isEqualTo("x");
        assertThat(f.windowEnd()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(f.careItems()).isEqualTo(5);
        assertThat(f.answered()).isEqualTo(4);
        assertThat(f.answeredWithinSla()).isEqualTo(2);
        assertThat(f.overdue()).isEqualTo(3);
        assertThat(f.openBacklog()).isEqualTo(1);
        // response times 0.5, 20, 26, 74 min: nearest-rank median the 2nd, p90 the 4th
        assertThat(f.responseMedianMillis()).isEqualTo(Duration.ofMinutes(20).toMillis());
        assertThat(f.responseP90Millis()).isEqualTo(Duration.ofMinutes(74).toMillis());
    }

    @Test
    void brandRepliesStayOutOfCustomerWindows() {
        Map<String, Long> counts =
                aggregates.stream()
                        .filter(a -> a.topic().equals("all"))
                        .collect(
                                Collectors.groupingBy(
                                        WindowAggregate::brand,
                                        Collectors.summingLong(WindowAggregate::mentions)));
        // 10 customer posts (c1..c6, f6, n1..n3); the 6 posts of acme_care are not counted
        assertThat(counts).containsExactlyEntriesOf(Map.of("acme", 10L));
    }
}
