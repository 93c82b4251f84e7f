package io.echolot.alert;

import io.echolot.care.CustomerRecord;
import java.time.Instant;

/**
 * What an {@link AlertType#UNANSWERED} alert knows about the conversation: where it is, how urgent,
 * when its SLA ran out, the CRM customer (null when unknown), and, once resolved, when the brand
 * answered and how late ({@code lateByMillis}, −1 while open).
 */
public record CareContext(
        String conversation,
        String priority,
        long slaMillis,
        Instant dueAt,
        String reason,
        CustomerRecord customer,
        Instant answeredAt,
        long lateByMillis) {}
