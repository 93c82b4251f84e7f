package io.echolot.detect.adverse;

import io.echolot.alert.Alert;
import io.echolot.alert.AlertCounters;
import io.echolot.alert.AlertState;
import io.echolot.alert.AlertType;
import io.echolot.alert.Evidence;
import io.echolot.alert.Severity;
import io.echolot.model.Mention;
import io.echolot.model.TopMention;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Flags each mention of a pharma brand that is about an adverse-event topic (e.g. "nebenwirkung",
 * whose terms — "Nebenwirkung", "Schwindel", "side effect" … — live in the rules file) as its own
 * {@link AlertType#ADVERSE_EVENT} alert: under EMA GVP Module VI such a post may be a report with a
 * deadline, so every one counts, not just bursts. Expects mentions deduplicated by id upstream, so
 * a re-delivered post raises no second alert. Metrics: {@code adverseEventAlerts}, and {@code
 * alertsOpened} in the group {@code alert_type=adverse_event} ({@link AlertCounters}).
 */
public class AdverseEventAlerts extends ProcessFunction<Mention, Alert> {

    private static final long serialVersionUID = 1L;

    private final Set<String> pharmaBrands;
    private final Set<String> adverseTopics;
    private transient Counter raised;
    private transient AlertCounters byType;

    /**
     * @param pharmaBrands brand ids marked {@code pharma: true} in the rules
     * @param adverseTopics topic ids whose terms describe side effects
     */
    public AdverseEventAlerts(Set<String> pharmaBrands, Set<String> adverseTopics) {
        this.pharmaBrands = Set.copyOf(pharmaBrands);
        this.adverseTopics = Set.copyOf(adverseTopics);
    }

    /**
     * Whether a customer's mention names a pharma brand and an adverse-event topic (a brand's own
     * reply is no report).
     */
    public boolean applies(Mention m) {
        return !m.isBrandPost()
                && m.brands().stream().anyMatch(pharmaBrands::contains)
                && m.topics().stream().anyMatch(adverseTopics::contains);
    }

    @Override
    public void open(OpenContext openContext) {
        raised = getRuntimeContext().getMetricGroup().counter("adverseEventAlerts");
        byType = AlertCounters.register(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(Mention m, Context ctx, Collector<Alert> out) {
        if (!applies(m)) {
            return;
        }
        String brand =
                m.brands().stream()
                        .filter(pharmaBrands::contains)
                        .sorted()
                        .findFirst()
                        .orElseThrow();
        String topic =
                m.topics().stream()
                        .filter(adverseTopics::contains)
                        .sorted()
                        .findFirst()
                        .orElseThrow();
        Alert alert =
                Alert.builder()
                        .id(AlertType.ADVERSE_EVENT.wireName() + '|' + m.id())
                        .version(1)
                        .type(AlertType.ADVERSE_EVENT)
                        .state(AlertState.OPEN)
                        // a possible report with a deadline: never below high
                        .severity(Severity.HIGH)
                        .brand(brand)
                        .topic(topic)
                        .openedAt(m.createdAt())
                        .updatedAt(m.createdAt())
                        .evidence(
                                Evidence.of(m.createdAt(), m.createdAt(), 1, 0, 1)
                                        .withMentions(
                                                List.of(TopMention.of(m)),
                                                Map.of(m.platform().wireName(), 1L)))
                        .build();
        raised.inc();
        byType.count(alert);
        out.collect(alert);
    }
}
