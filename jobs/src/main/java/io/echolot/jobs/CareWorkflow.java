package io.echolot.jobs;

import io.echolot.alert.Alert;
import io.echolot.alert.UnansweredAlerts;
import io.echolot.care.BrandConversations;
import io.echolot.care.CareEvent;
import io.echolot.care.CareFigures;
import io.echolot.care.CareKeys;
import io.echolot.care.CareOutcome;
import io.echolot.care.ClassifyCare;
import io.echolot.care.CustomerMention;
import io.echolot.care.CustomerUpdate;
import io.echolot.care.JoinCustomers;
import io.echolot.care.ResponseTimes;
import io.echolot.care.ScopeOutcomes;
import io.echolot.care.UnansweredPattern;
import io.echolot.deadletter.DeadLetter;
import io.echolot.model.Mention;
import io.echolot.rules.Brand;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Wires customer care onto the enriched mentions: CRM join (optional) → care items and brand
 * replies → replies in conversations without the brand dropped → one CEP pattern per SLA (answered
 * in time / overdue) → unanswered alerts (opened when overdue, resolved by a later reply) →
 * response-time figures per brand, topic, platform and window.
 */
final class CareWorkflow {

    /** What care produces: alerts for the lifecycle sinks, figures, refused customer records. */
    record Streams(
            DataStream<Alert> alerts,
            DataStream<CareFigures> figures,
            DataStream<DeadLetter> deadLetters) {}

    private CareWorkflow() {}

    /**
     * @param customers the customers topic, or null to run without CRM context
     */
    static Streams apply(
            DataStream<Mention> mentions,
            DataStream<CustomerUpdate> customers,
            PipelineSettings settings,
            CareSettings care) {
        DataStream<CustomerMention> joined;
        DataStream<DeadLetter> deadLetters = null;
        if (customers != null) {
            SingleOutputStreamOperator<CustomerMention> join =
                    mentions.keyBy(new CareKeys.MentionAuthor())
                            .connect(customers.keyBy(new CareKeys.CustomerAuthor()))
                            .process(new JoinCustomers())
                            .uid(OperatorIds.CUSTOMER_JOIN)
                            .name("care-customer-join");
            joined = join;
            deadLetters = join.getSideOutput(JoinCustomers.DEAD_LETTERS);
        } else {
            joined = mentions.map(new WithoutCustomer()).name("care-without-crm");
        }
        DataStream<CareEvent> events =
                joined.process(
                                new ClassifyCare(
                                        settings.rules(),
                                        settings.detection().adverseEventTopics()))
                        .uid(OperatorIds.CARE_CLASSIFY)
                        .name("care-items-and-replies")
                        .keyBy(new CareKeys.Conversation())
                        .process(new BrandConversations(care.retention()))
                        .uid(OperatorIds.CARE_BRAND_CONVERSATIONS)
                        .name("care-brand-conversations");

        DataStream<CareOutcome> answered = null;
        DataStream<CareOutcome> overdue = null;
        for (Duration sla : slas(settings)) {
            UnansweredPattern p = new UnansweredPattern(sla);
            SingleOutputStreamOperator<CareOutcome> matched =
                    p.apply(
                                    events.filter(new Accepts(p))
                                            .name("care-sla-" + sla.toSeconds() + "s")
                                            .keyBy(new CareKeys.Conversation()))
                            .uid(OperatorIds.CARE_CEP_PREFIX + sla.toSeconds() + "s")
                            .name("care-unanswered-" + sla.toSeconds() + "s");
            DataStream<CareOutcome> late = matched.getSideOutput(UnansweredPattern.OVERDUE);
            answered = answered == null ? matched : answered.union(matched);
            overdue = overdue == null ? late : overdue.union(late);
        }
        SingleOutputStreamOperator<Alert> alerts =
                overdue.keyBy(new CareKeys.OutcomeConversation())
                        .connect(events.filter(new IsReply()).keyBy(new CareKeys.Conversation()))
                        .process(new UnansweredAlerts(care.retention()))
                        .uid(OperatorIds.UNANSWERED_ALERTS)
                        .name("care-unanswered-alerts");

        DataStream<CareOutcome> opened =
                events.filter(new IsItem()).map(new Opened()).name("care-items-opened");
        DataStream<CareFigures> figures =
                opened.union(
                                answered,
                                overdue,
                                alerts.getSideOutput(UnansweredAlerts.ANSWERED_LATE))
                        .flatMap(new ScopeOutcomes(care.window()))
                        .name("care-scope-brand-topic-platform")
                        .keyBy(new CareKeys.Figures())
                        .process(new ResponseTimes(care.retention()))
                        .uid(OperatorIds.CARE_FIGURES)
                        .name("care-response-times");
        return new Streams(alerts, figures, deadLetters);
    }

    /** The distinct SLAs of all brands, normal and high. */
    static Set<Duration> slas(PipelineSettings settings) {
        Set<Duration> slas = new TreeSet<>();
        for (Brand b : settings.rules().brands()) {
            slas.add(b.care().slaNormal());
            slas.add(b.care().slaHigh());
        }
        return slas;
    }

    static final class WithoutCustomer implements MapFunction<Mention, CustomerMention> {
        private static final long serialVersionUID = 1L;

        @Override
        public CustomerMention map(Mention m) {
            return new CustomerMention(m, null);
        }
    }

    static final class Accepts implements FilterFunction<CareEvent> {
        private static final long serialVersionUID = 1L;
        private final UnansweredPattern pattern;

        Accepts(UnansweredPattern pattern) {
            this.pattern = pattern;
        }

        @Override
        public boolean filter(CareEvent e) {
            return pattern.accepts(e);
        }
    }

    static final class IsReply implements FilterFunction<CareEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(CareEvent e) {
            return e.reply();
        }
    }

    static final class IsItem implements FilterFunction<CareEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(CareEvent e) {
            return !e.reply();
        }
    }

    static final class Opened implements MapFunction<CareEvent, CareOutcome> {
        private static final long serialVersionUID = 1L;

        @Override
        public CareOutcome map(CareEvent e) {
            return new CareOutcome(CareOutcome.Kind.OPENED, e, -1);
        }
    }
}
