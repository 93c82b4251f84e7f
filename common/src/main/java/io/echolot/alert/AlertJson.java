package io.echolot.alert;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolot.model.TopMention;
import io.echolot.serde.Json;
import io.echolot.serde.MentionJson;
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
        return o;
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
