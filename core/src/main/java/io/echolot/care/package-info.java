/**
 * Customer care: customer mentions addressed to a brand become care items keyed by their
 * conversation; a CEP pattern per SLA finds those not followed by a brand reply in time (the {@code
 * unanswered} alerts are built from them in {@code io.echolot.alert}), a later reply resolves them
 * with their lateness; response-time figures per brand, topic, platform and window go to
 * Elasticsearch. An optional compacted CRM topic adds the customer's record (tier, segment, open
 * cases) to each mention of a known author.
 */
package io.echolot.care;
