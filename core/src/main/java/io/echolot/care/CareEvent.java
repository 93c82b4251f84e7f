package io.echolot.care;

import io.echolot.model.TopMention;
import java.util.List;

/**
 * What the care workflow sees of a mention, per brand: a customer's care item ({@code reply ==
 * false}: it waits for an answer within {@code slaMillis}) or a brand reply ({@code reply == true})
 * in the conversation {@code conversation}. Items carry their evidence (the post, its topics,
 * priority, reason and the CRM customer, if known).
 *
 * @param at event time, epoch milliseconds
 * @param reason why an item needs an answer: {@code addressed}, {@code conversation}, {@code
 *     question} or {@code negative}; for replies null, or {@code brand_post} for the marker of the
 *     brand's presence in the conversation its post opens
 */
public record CareEvent(
        boolean reply,
        String brand,
        String conversation,
        String mentionId,
        String platform,
        long at,
        List<String> topics,
        boolean highPriority,
        long slaMillis,
        String reason,
        TopMention post,
        CustomerRecord customer) {

    /** Separates brand and conversation in the key; cannot occur in a brand id. */
    static final char KEY_SEPARATOR = '|';

    /** brand|conversation: one conversation of one brand. */
    public String key() {
        return brand + KEY_SEPARATOR + conversation;
    }

    /** When the SLA of an item runs out. */
    public long dueAt() {
        return at + slaMillis;
    }

    /** The wire name of the priority. */
    public String priority() {
        return highPriority ? "high" : "normal";
    }
}
