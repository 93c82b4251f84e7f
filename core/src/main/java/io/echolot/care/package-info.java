/**
 * Customer care: customer mentions addressed to a brand become care items keyed by their
 * conversation; a CEP pattern per SLA finds those not followed by a brand reply in time and raises
 * {@code unanswered} alerts, a later reply resolves them with their lateness; response-time figures
 * per brand, topic, platform and window go to Elasticsearch. An optional compacted CRM topic adds
 * the customer's record (tier, segment, open cases) to each mention of a known author.
 */
package io.echolot.care;
