package io.echolot.care;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.echolot.alert.UnansweredAlerts;
import io.echolot.deadletter.DeadLetter;
import io.echolot.deadletter.RawRecord;
import io.echolot.model.Author;
import io.echolot.model.Engagement;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import io.echolot.rules.BrandRules;
import io.echolot.rules.CareRules;
import io.echolot.rules.RulesException;
import io.echolot.testing.Mentions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Care rules, care-item classification and SLA choice, the CRM record reader and join. */
class CareUnitsTest {

    static final BrandRules RULES = BrandRules.loadResource("echolot/rules/example-rules.yaml");

    static Mention mention(String text, String handle, long followers, List<String> topics) {
        return Mention.builder()
                .id("m1")
                .platform(Platform.X)
                .createdAt(Instant.parse("2026-11-23T10:00:00Z"))
                .text(text)
                .lang("de")
                .author(new Author("a1", handle, followers))
                .brands(List.of("cardiofit"))
                .topics(topics)
                .sentiment(0.0)
                .engagement(Engagement.NONE)
                .threadRoot("root-1")
                .build();
    }

    @Test
    void exampleRulesCarryCareAccountsAndSlas() {
        var care = RULES.brand("cardiofit").orElseThrow().care();
        assertThat(care.slaNormal()).isEqualTo(Duration.ofMinutes(60));
        assertThat(care.slaHigh()).isEqualTo(Duration.ofMinutes(15));
        assertThat(care.isOwnAccount(Platform.FACEBOOK, new Author("9", "cardiofit.de", 0)))
                .isTrue();
        assertThat(care.isOwnAccount(Platform.X, new Author("9", "@Cardiofit_DE", 0))).isTrue();
        assertThat(care.isOwnAccount(Platform.X, new Author("9", "cardiofit.de", 0))).isFalse();
        // a brand without care block: its handles on every platform, default SLAs
        var bayer = RULES.brand("bayer").orElseThrow().care();
        assertThat(bayer.isOwnAccount(Platform.REDDIT, new Author("1", "bayer_de", 0))).isTrue();
        assertThat(bayer.slaNormal()).isEqualTo(Duration.ofMinutes(60));
        assertThat(RULES.brand("strider").orElseThrow().care().slaNormal())
                .isEqualTo(Duration.ofHours(2));
    }

    @Test
    void badCareRulesNameWhatToFix() {
        String yaml =
                """
                brands:
                  - id: acme
                    names: [Acme]
                    care:
                      accounts: {myspace: [acme]}
                      sla: {normal: 10 min, high: 1 h}
                      high_priority: {min_followers: -1}
                """;
        assertThatThrownBy(() -> BrandRules.parse(yaml, "r.yaml"))
                .isInstanceOf(RulesException.class)
                .hasMessageContaining(
                        "brand 'acme' at brands[0].care.accounts: \"myspace\" is not a platform:"
                                + " use a mention platform such as x, facebook, instagram, or"
                                + " 'any'")
                .hasMessageContaining(
                        "brand 'acme' at brands[0].care.sla: the high-priority SLA (1 h) must not"
                                + " be longer than the normal one (10 min)")
                .hasMessageContaining(
                        "brand 'acme' at brands[0].care.high_priority.min_followers: must be 0 or"
                                + " more, not -1");
    }

    @Test
    void careItemsAndTheirSla() {
        ClassifyCare classify = new ClassifyCare(RULES, Set.of("nebenwirkung"));
        // addressed to the brand's handle: normal priority, 60 min, keyed by the thread root
        CareEvent addressed =
                classify.classify(mention("@cardiofit_de hallo", "kunde", 10, List.of()), null)
                        .get(0);
        assertThat(addressed.reason()).isEqualTo("addressed");
        assertThat(addressed.conversation()).isEqualTo("root-1");
        assertThat(addressed.slaMillis()).isEqualTo(Duration.ofMinutes(60).toMillis());
        // a plain statement without question or negative tone needs no answer
        assertThat(classify.classify(mention("Cardiofit heute", "kunde", 10, List.of()), null))
                .isEmpty();
        // adverse-event topic of a pharma brand: high priority
        assertThat(
                        classify.classify(
                                        mention("Schwindel?", "kunde", 10, List.of("nebenwirkung")),
                                        null)
                                .get(0)
                                .highPriority())
                .isTrue();
        // a gold CRM customer: high priority, 15 min, context carried along
        CustomerRecord gold = new CustomerRecord("C-1", "pharmacy", "gold", 2);
        CareEvent vip =
                classify.classify(mention("Wo ist meine Lieferung?", "kunde", 10, List.of()), gold)
                        .get(0);
        assertThat(vip.slaMillis()).isEqualTo(Duration.ofMinutes(15).toMillis());
        assertThat(vip.customer()).isEqualTo(gold);
        // the brand's own post is a reply in the conversation
        Mention own =
                mention("Gern geschehen", "cardiofit_de", 10, List.of())
                        .withBrandAccount("cardiofit");
        CareEvent reply = classify.classify(own, null).get(0);
        assertThat(reply.reply()).isTrue();
        assertThat(reply.key()).isEqualTo("cardiofit|root-1");
    }

    static RawRecord raw(String key, String value) {
        return new RawRecord(
                "customers",
                0,
                7,
                0,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void customerRecordsTombstonesAndBadRecords() {
        CustomerUpdate u =
                CustomerDeserializer.parse(
                        raw(
                                "x:a1",
                                "{\"customer_id\":\"C-1\",\"tier\":\"Gold\",\"open_cases\":2}"));
        assertThat(u.authorKey()).isEqualTo("x:a1");
        assertThat(u.record()).isEqualTo(new CustomerRecord("C-1", null, "gold", 2));
        assertThat(CustomerDeserializer.parse(raw("x:a1", null)).isDelete()).isTrue();
        assertThat(CustomerDeserializer.parse(raw(null, "{}")).error()).contains("without key");
        assertThat(CustomerDeserializer.parse(raw("a1", "{}")).error())
                .contains("<platform>:<author id>");
        assertThat(CustomerDeserializer.parse(raw("x:a1", "{\"tier\":1}")).error())
                .contains("customer_id");
        assertThat(CustomerDeserializer.parse(raw("x:a1", "not json")).error())
                .contains("not JSON");
    }

    @Test
    void joinAppliesUpdatesAndDeletesAsTheyArrive() throws Exception {
        var harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new JoinCustomers()),
                        new CareKeys.MentionAuthor(),
                        new CareKeys.CustomerAuthor(),
                        org.apache.flink.api.common.typeinfo.Types.STRING);
        harness.open();
        Mention m = mention("?", "kunde", 10, List.of());
        harness.processElement1(m, 1);
        harness.processElement2(
                CustomerDeserializer.parse(
                        raw("x:a1", "{\"customer_id\":\"C-1\",\"tier\":\"gold\"}")),
                2);
        harness.processElement1(m, 3);
        harness.processElement2(CustomerDeserializer.parse(raw("x:a1", null)), 4);
        harness.processElement1(m, 5);
        harness.processElement2(CustomerDeserializer.parse(raw(null, "{}")), 6);
        List<CustomerRecord> seen =
                harness.extractOutputValues().stream().map(CustomerMention::customer).toList();
        assertThat(seen).containsExactly(null, new CustomerRecord("C-1", null, "gold", 0), null);
        List<DeadLetter> dead =
                harness.getSideOutput(JoinCustomers.DEAD_LETTERS).stream()
                        .map(r -> r.getValue())
                        .toList();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).stage()).isEqualTo("customers");
        assertThat(dead.get(0).source().offset()).isEqualTo(7);
        harness.close();
    }

    static Mention post(String id, String text, String threadRoot) {
        Mention m = mention(text, "kunde", 10, List.of());
        return Mentions.inThread(
                m.toBuilder()
                        .id(id)
                        .reshareOf(null)
                        .replyTo(null)
                        .threadRoot(null)
                        .brandAccount(null)
                        .build(),
                null,
                threadRoot);
    }

    @Test
    void byDefaultOnlyPostsAddressingTheBrandAreItems() {
        ClassifyCare classify = new ClassifyCare(RULES, Set.of());
        // a question about the brand to the world, not to the brand
        assertThat(classify.classify(post("p1", "Hilft Cardiofit wirklich?", null), null))
                .isEmpty();
        // the same question as a reply in a conversation: an item if the brand takes part
        assertThat(classify.classify(post("p2", "Hilft Cardiofit wirklich?", "root-9"), null))
                .extracting(CareEvent::reason)
                .containsExactly(ClassifyCare.CONVERSATION);
        // naming the brand's account: always an item
        assertThat(classify.classify(post("p3", "@cardiofit_de Danke", null), null))
                .extracting(CareEvent::reason)
                .containsExactly(ClassifyCare.ADDRESSED);
    }

    @Test
    void itemsAllCountsEveryQuestionAndNegativePost() {
        BrandRules all =
                BrandRules.parse(
                        """
                        brands:
                          - id: cardiofit
                            names: [Cardiofit]
                            care: {items: all}
                        """,
                        "r.yaml");
        assertThat(all.brand("cardiofit").orElseThrow().care().items())
                .isEqualTo(CareRules.Items.ALL);
        ClassifyCare classify = new ClassifyCare(all, Set.of());
        assertThat(classify.classify(post("p1", "Hilft Cardiofit wirklich?", null), null))
                .extracting(CareEvent::reason)
                .containsExactly(ClassifyCare.QUESTION);
        assertThat(RULES.brand("cardiofit").orElseThrow().care().items())
                .isEqualTo(CareRules.Items.ADDRESSED);
        assertThatThrownBy(
                        () ->
                                BrandRules.parse(
                                        """
                                        brands:
                                          - id: acme
                                            names: [Acme]
                                            care: {items: everything}
                                        """,
                                        "r.yaml"))
                .isInstanceOf(RulesException.class)
                .hasMessageContaining(
                        "brand 'acme' at brands[0].care.items: \"everything\" must be 'addressed'"
                                + " (posts that address the brand) or 'all'");
    }

    static CareEvent event(boolean reply, String reason, long at) {
        return new CareEvent(
                reply,
                "cardiofit",
                "root-1",
                "m" + at,
                "x",
                at,
                List.of(),
                false,
                60_000,
                reason,
                null,
                null);
    }

    @Test
    void repliesCountOnlyInConversationsTheBrandTookPartInBefore() throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new BrandConversations(Duration.ofHours(1))),
                        new CareKeys.Conversation(),
                        org.apache.flink.api.common.typeinfo.Types.STRING);
        harness.open();
        String conv = ClassifyCare.CONVERSATION;
        // before the brand posted: not to the brand
        harness.processElement(event(false, conv, 5), 5);
        // read before the brand's post, posted after it: waits for event time, then counts
        harness.processElement(event(false, conv, 20), 20);
        harness.processElement(event(true, null, 10), 10);
        // addressed items pass at once
        harness.processElement(event(false, ClassifyCare.ADDRESSED, 3), 3);
        assertThat(harness.extractOutputValues())
                .extracting(CareEvent::at)
                .containsExactly(10L, 3L);
        harness.processWatermark(20);
        assertThat(harness.extractOutputValues())
                .extracting(CareEvent::at)
                .containsExactly(10L, 3L, 20L);
        // a late reply after the brand's post is decided at once
        harness.processElement(event(false, conv, 15), 15);
        assertThat(harness.extractOutputValues()).extracting(CareEvent::at).endsWith(15L);
        // the brand's part is forgotten an hour (event time) after its post
        harness.processWatermark(10 + Duration.ofHours(1).toMillis());
        harness.processElement(event(false, conv, Duration.ofHours(2).toMillis()), 0);
        harness.processWatermark(Duration.ofHours(3).toMillis());
        assertThat(harness.extractOutputValues()).hasSize(4);
        assertThat(harness.numKeyedStateEntries()).isZero();
        harness.close();
    }

    @Test
    void aConversationWaitingAgainAfterItsStateExpiredContinuesTheAlertsVersions()
            throws Exception {
        var harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new UnansweredAlerts(Duration.ofHours(1))),
                        new CareKeys.OutcomeConversation(),
                        new CareKeys.Conversation(),
                        org.apache.flink.api.common.typeinfo.Types.STRING);
        harness.open();
        long hour = Duration.ofHours(1).toMillis();
        CareEvent first = withPost(event(false, ClassifyCare.ADDRESSED, 0));
        harness.processElement1(new CareOutcome(CareOutcome.Kind.OVERDUE, first, -1), 60_000);
        // the conversation's state expires an hour (event time) after the due time
        harness.processBothWatermarks(
                new org.apache.flink.streaming.api.watermark.Watermark(2 * hour));
        CareEvent again = withPost(event(false, ClassifyCare.ADDRESSED, 3 * hour));
        harness.processElement1(
                new CareOutcome(CareOutcome.Kind.OVERDUE, again, -1), 3 * hour + 60_000);

        assertThat(harness.extractOutputValues())
                .extracting(a -> a.id() + " " + a.version() + " " + a.state())
                .containsExactly(
                        "unanswered|cardiofit|root-1 1 OPEN", "unanswered|cardiofit|root-1 2 OPEN");
        harness.close();
    }

    private static CareEvent withPost(CareEvent e) {
        return new CareEvent(
                e.reply(),
                e.brand(),
                e.conversation(),
                e.mentionId(),
                e.platform(),
                e.at(),
                e.topics(),
                e.highPriority(),
                e.slaMillis(),
                e.reason(),
                io.echolot.model.TopMention.of(
                        mention("@cardiofit_de hallo", "kunde", 10, List.of())),
                e.customer());
    }

    @Test
    void withoutThreadRootAFollowUpToTheBrandsAnswerIsInAConversationWithTheBrand()
            throws Exception {
        ClassifyCare classify = new ClassifyCare(RULES, Set.of());
        // the brand answers c1 without a thread root; the customer asks again under the answer
        Mention answer =
                Mention.builder()
                        .id("b1")
                        .platform(Platform.X)
                        .createdAt(Instant.parse("2026-11-23T10:05:00Z"))
                        .text("Wir kümmern uns")
                        .lang("de")
                        .author(new Author("9", "cardiofit_de", 10))
                        .brands(List.of("cardiofit"))
                        .topics(List.of())
                        .engagement(Engagement.NONE)
                        .replyTo("c1")
                        .build()
                        .withBrandAccount("cardiofit");
        Mention followUp =
                Mention.builder()
                        .id("f1")
                        .platform(Platform.X)
                        .createdAt(Instant.parse("2026-11-23T10:07:00Z"))
                        .text("Und wann ist Cardiofit wieder lieferbar?")
                        .lang("de")
                        .author(new Author("a1", "kunde", 10))
                        .brands(List.of("cardiofit"))
                        .topics(List.of())
                        .sentiment(0.0)
                        .engagement(Engagement.NONE)
                        .replyTo("b1")
                        .build();
        List<CareEvent> events = new ArrayList<>(classify.classify(answer, null));
        assertThat(events)
                .extracting(e -> e.conversation() + " " + e.reason())
                .containsExactly("c1 null", "b1 " + ClassifyCare.BRAND_POST);
        events.addAll(classify.classify(followUp, null));

        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new BrandConversations(Duration.ofHours(1))),
                        new CareKeys.Conversation(),
                        org.apache.flink.api.common.typeinfo.Types.STRING);
        harness.open();
        for (CareEvent e : events) {
            harness.processElement(e, e.at());
        }
        harness.processWatermark(Instant.parse("2026-11-23T11:00:00Z").toEpochMilli());
        // the answer goes on as a reply in c1, the marker stays here, the follow-up is an item
        assertThat(harness.extractOutputValues())
                .extracting(e -> e.mentionId() + " " + e.conversation() + " " + e.reply())
                .containsExactly("b1 c1 true", "f1 b1 false");
        harness.close();
    }

    private static ScopedOutcome outcome(CareOutcome.Kind kind, long response, long at) {
        return new ScopedOutcome(
                "cardiofit", "all", "x", 0, 3_600_000, kind, "i" + at, response, at);
    }

    @Test
    void responseTimesGoOutOncePerWatermarkStepAndNeverForAFinishedWindow() throws Exception {
        var harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new ResponseTimes(Duration.ofHours(1))),
                        ScopedOutcome::key,
                        org.apache.flink.api.common.typeinfo.Types.STRING);
        harness.open();
        harness.processElement(outcome(CareOutcome.Kind.OPENED, -1, 1_000), 1_000);
        harness.processElement(outcome(CareOutcome.Kind.OPENED, -1, 2_000), 2_000);
        harness.processElement(outcome(CareOutcome.Kind.ANSWERED, 60_000, 61_000), 61_000);
        assertThat(harness.extractOutputValues())
                .as("nothing before the watermark moves")
                .isEmpty();
        harness.processWatermark(61_000);
        harness.processElement(outcome(CareOutcome.Kind.OVERDUE, -1, 3_602_000), 3_602_000);
        harness.processWatermark(3_602_000);
        assertThat(harness.extractOutputValues())
                .extracting(
                        f ->
                                f.careItems()
                                        + " "
                                        + f.answered()
                                        + " "
                                        + f.overdue()
                                        + " "
                                        + f.responseMedianMillis()
                                        + " "
                                        + f.asOf().toEpochMilli())
                .containsExactly("2 1 0 60000 61000", "2 1 1 60000 3602000");
        // an hour after the window's end its state is gone; a later answer must not overwrite
        // the final figures with a document of its own
        harness.processWatermark(2 * 3_600_000);
        harness.processElement(
                outcome(CareOutcome.Kind.ANSWERED_LATE, 7_000_000, 7_201_000), 7_201_000);
        harness.processWatermark(3 * 3_600_000);
        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isZero();
        harness.close();
    }
}
