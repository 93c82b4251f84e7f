package io.echolot.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolot.json.Json;
import io.echolot.json.MentionJson;
import io.echolot.model.TopMention;
import java.time.Instant;
import java.util.TreeMap;

/** Writes an {@link Alert} as the alert document v1 ({@code alert-v1.schema.json}). */
public final class AlertJson {

    private AlertJson() {}

    public static ObjectNode toJson(Alert a) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("schema_version", 1);
        o.put("id", a.id());
        o.put("version", a.version());
        o.put("type", a.type().wireName());
        o.put("state", a.state().wireName());
        o.put("severity", a.severity().wireName());
        o.put("brand", a.brand());
        o.put("topic", a.topic());
        o.put("title", a.title());
        o.put("opened_at", a.openedAt().toString());
        o.put("updated_at", a.updatedAt().toString());
        instant(o, "resolved_at", a.resolvedAt());
        instant(o, "window_start", a.windowStart());
        instant(o, "window_end", a.windowEnd());
        o.put("observed", a.observed());
        o.put("expected", a.expected());
        o.put("score", a.score());
        ObjectNode evidence = o.putObject("evidence");
        ArrayNode top = evidence.putArray("top_mentions");
        for (TopMention t : a.topMentions()) {
            top.addObject()
                    .put("id", t.id())
                    .put("url", t.url())
                    .put("text", t.text())
                    .put("platform", t.platform().wireName());
        }
        ObjectNode platforms = evidence.putObject("platforms");
        new TreeMap<>(a.platforms()).forEach(platforms::put);
        if (a.velocity() != null) {
            evidence.put("velocity", a.velocity());
        }
        if (a.reshareShare() != null) {
            evidence.put("reshare_share", a.reshareShare());
        }
        if (a.drivers() != null) {
            drivers(evidence, a.drivers());
        }
        if (a.care() != null) {
            CareContext c = a.care();
            ObjectNode care = o.putObject("care");
            care.put("conversation", c.conversation());
            care.put("priority", c.priority());
            care.put("sla_minutes", c.slaMillis() / 60_000.0);
            instant(care, "due_at", c.dueAt());
            care.put("reason", c.reason());
            instant(care, "answered_at", c.answeredAt());
            if (c.lateByMillis() >= 0) {
                care.put("late_by_minutes", c.lateByMillis() / 60_000.0);
            } else {
                care.putNull("late_by_minutes");
            }
            if (c.customer() != null) {
                ObjectNode customer = care.putObject("customer");
                customer.put("customer_id", c.customer().customerId());
                customer.put("segment", c.customer().segment());
                customer.put("tier", c.customer().tier());
                customer.put("open_cases", c.customer().openCases());
            }
        }
        return o;
    }

    /** The drivers as {@code evidence.drivers} and their companions (alert-v1 schema). */
    private static void drivers(ObjectNode evidence, AlertDrivers d) {
        ArrayNode drivers = evidence.putArray("drivers");
        for (Driver driver : d.drivers()) {
            drivers.addObject()
                    .put("kind", driver.kind())
                    .put("value", driver.value())
                    .put("observed", driver.observed())
                    .put("expected", driver.expected())
                    .put("score", driver.score());
        }
        ArrayNode reach = evidence.putArray("top_reach");
        for (ReachPost p : d.topReach()) {
            reach.addObject()
                    .put("id", p.id())
                    .put("url", p.url())
                    .put("text", p.text())
                    .put("platform", p.platform().wireName())
                    .put("author", p.authorHandle())
                    .put("reach", p.reach());
        }
        evidence.put("explained_mentions", d.mentions());
        evidence.put("baseline_mentions", d.baselineMentions());
        share(evidence, "first_time_author_share", d.firstTimeAuthorShare());
        share(evidence, "coordinated_share", d.coordinatedShare());
    }

    /** A share the drivers did not measure (NaN, e.g. for emerging topics) is null. */
    private static void share(ObjectNode o, String field, double value) {
        if (Double.isNaN(value)) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }

    public static byte[] toBytes(Alert a) {
        return MentionJson.bytes(toJson(a));
    }

    private static void instant(ObjectNode o, String field, Instant value) {
        if (value == null) {
            o.putNull(field);
        } else {
            o.put(field, value.toString());
        }
    }
}
