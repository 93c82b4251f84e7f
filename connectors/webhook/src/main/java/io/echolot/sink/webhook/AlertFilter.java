package io.echolot.sink.webhook;

import io.echolot.alert.Alert;
import io.echolot.alert.AlertType;
import io.echolot.alert.Severity;
import java.io.Serializable;
import java.util.Set;

/**
 * Which alerts an endpoint receives. An empty set means "any"; every non-empty set must contain the
 * alert's value, and the alert must be at least {@code minSeverity}. Brands and topics are compared
 * as the ids in the rules (topic {@code all} is the brand-wide alert).
 */
public record AlertFilter(
        Set<String> brands, Set<String> topics, Set<AlertType> types, Severity minSeverity)
        implements Serializable {

    public static final AlertFilter ANY = new AlertFilter(Set.of(), Set.of(), Set.of(), null);

    public AlertFilter {
        brands = Set.copyOf(brands);
        topics = Set.copyOf(topics);
        types = Set.copyOf(types);
    }

    public boolean matches(Alert alert) {
        return (brands.isEmpty() || brands.contains(alert.brand()))
                && (topics.isEmpty() || topics.contains(alert.topic()))
                && (types.isEmpty() || types.contains(alert.type()))
                && (minSeverity == null || alert.severity().compareTo(minSeverity) >= 0);
    }
}
