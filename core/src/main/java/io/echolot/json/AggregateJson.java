package io.echolot.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolot.model.TopMention;
import io.echolot.model.WindowAggregate;
import java.util.Map;

/**
 * Writes a {@link WindowAggregate} as the aggregate document v1 ({@code aggregate-v1.schema.json}).
 */
public final class AggregateJson {

    private AggregateJson() {}

    public static ObjectNode toJson(WindowAggregate a) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("brand", a.brand());
        o.put("topic", a.topic());
        o.put("window_start", a.windowStart().toString());
        o.put("window_end", a.windowEnd().toString());
        o.put("mentions", a.mentions());
        o.put("reshares", a.reshares());
        o.put("unique_authors", a.uniqueAuthors());
        o.put("reach", a.reach());
        ObjectNode e = o.putObject("engagement");
        e.put("likes", a.engagement().likes());
        e.put("shares", a.engagement().shares());
        e.put("comments", a.engagement().comments());
        e.put("views", a.engagement().views());
        e.put("total", a.engagement().total());
        ObjectNode s = o.putObject("sentiment");
        s.put("scored", a.sentiment().scored());
        if (a.sentiment().mean() != null) {
            s.put("mean", a.sentiment().mean());
        } else {
            s.putNull("mean");
        }
        s.put("positive", a.sentiment().positive());
        s.put("neutral", a.sentiment().neutral());
        s.put("negative", a.sentiment().negative());
        counts(o.putObject("platforms"), a.platforms());
        counts(o.putObject("languages"), a.languages());
        ArrayNode top = o.putArray("top_mentions");
        for (TopMention t : a.topMentions()) {
            ObjectNode n = top.addObject();
            n.put("id", t.id());
            n.put("url", t.url());
            n.put("platform", t.platform().wireName());
            n.put("author_handle", t.authorHandle());
            n.put("text", t.text());
            n.put("engagement", t.engagement());
            n.put("created_at", t.createdAt().toString());
        }
        return o;
    }

    public static byte[] toDocument(WindowAggregate a) {
        return MentionJson.bytes(toJson(a));
    }

    private static void counts(ObjectNode into, Map<String, Long> counts) {
        new java.util.TreeMap<>(counts).forEach(into::put);
    }
}
