package io.echolot.jobs;

/**
 * The stable uids of every source, stateful operator and sink. Savepoints map state by these ids:
 * never change one of them in a release that must restore from an older savepoint.
 */
public final class OperatorIds {
    public static final String KAFKA_SOURCE = "kafka-mentions-source";
    public static final String RESUME_EVENT_TIME = "resume-event-time";
    public static final String SPLIT_DEAD_LETTERS = "split-dead-letters";
    public static final String TOO_OLD = "too-old-mentions";
    public static final String DEDUP = "dedup-mentions";
    public static final String ENRICH = "enrich-mentions";
    public static final String FAN_OUT_LIMITS = "fan-out-limits";
    public static final String STAY_ACTIVE = "stay-active";
    public static final String SCOPE = "scope-brand-topic";
    public static final String WINDOW = "brand-topic-window";
    public static final String LATE = "late-mentions";
    public static final String NEGATIVE_BASELINE = "negative-share-baseline";
    public static final String NEGATIVE_BURST_CEP = "negative-burst-cep";
    public static final String EXPLAIN_SCOPE = "explain-scope-brand-topic";
    public static final String EXPLAIN_SIGNALS = "explain-alert-drivers";
    public static final String EMERGING_SCOPE = "emerging-scope-brand";
    public static final String EMERGING_TOPICS = "emerging-topics";
    public static final String ALERT_LIFECYCLE = "alert-lifecycle";
    public static final String ADVERSE_EVENTS = "adverse-event-alerts";
    public static final String ALERTS_SINK = "index-alerts-sink";
    public static final String ALERT_EVENTS_SINK = "alert-events-sink";
    public static final String WEBHOOK_SINK = "webhook-sink";
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";
    public static final String LATE_SINK = "late-mentions-sink";
    public static final String MENTIONS_SINK = "index-mentions-sink";
    public static final String AGGREGATES_SINK = "index-aggregates-sink";
    public static final String CRM_SOURCE = "kafka-customers-source";
    public static final String CUSTOMER_JOIN = "care-customer-join";
    public static final String CARE_CLASSIFY = "care-classify";
    public static final String CARE_BRAND_CONVERSATIONS = "care-brand-conversations";

    /** One CEP operator per distinct SLA: this prefix + the SLA in seconds, e.g. ...-3600s. */
    public static final String CARE_CEP_PREFIX = "care-unanswered-cep-";

    public static final String UNANSWERED_ALERTS = "care-unanswered-alerts";
    public static final String CARE_FIGURES = "care-response-times";
    public static final String CARE_SINK = "index-care-sink";
    public static final String CUSTOMER_DEAD_LETTER_SINK = "customer-dead-letter-sink";

    /** The indexing job's operators. */
    public static final String INDEX_SOURCE = "kafka-index-source";

    public static final String INDEX_SPLIT = "index-split-dead-letters";
    public static final String INDEX_ELASTICSEARCH_SINK = "index-elasticsearch-sink";
    public static final String INDEX_DEAD_LETTER_SINK = "index-dead-letter-sink";

    private OperatorIds() {}
}
