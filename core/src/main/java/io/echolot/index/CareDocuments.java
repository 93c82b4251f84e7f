package io.echolot.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolot.care.CareFigures;
import io.echolot.json.Json;
import io.echolot.json.MentionJson;

/**
 * Care figures as documents of {@code echolot-care-YYYY.MM} (month of the window start) with id
 * {@code brand|topic|platform|window_start}: newer figures of a window overwrite the older ones.
 */
public final class CareDocuments implements DocumentConverter<CareFigures> {

    private static final long serialVersionUID = 1L;

    @Override
    public DocumentRequest convert(CareFigures f) {
        return DocumentRequest.index(
                IndexNames.careIndex(f.windowStart()), id(f), MentionJson.bytes(toJson(f)));
    }

    public static String id(CareFigures f) {
        return f.brand() + '|' + f.topic() + '|' + f.platform() + '|' + f.windowStart();
    }

    public static ObjectNode toJson(CareFigures f) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("brand", f.brand());
        o.put("topic", f.topic());
        o.put("platform", f.platform());
        o.put("window_start", f.windowStart().toString());
        o.put("window_end", f.windowEnd().toString());
        o.put("care_items", f.careItems());
        o.put("answered", f.answered());
        o.put("answered_within_sla", f.answeredWithinSla());
        o.put("overdue", f.overdue());
        o.put("open_backlog", f.openBacklog());
        if (f.careItems() > 0) {
            o.put("within_sla_ratio", (double) f.answeredWithinSla() / f.careItems());
        } else {
            o.putNull("within_sla_ratio");
        }
        minutes(o, "response_median_minutes", f.responseMedianMillis());
        minutes(o, "response_p90_minutes", f.responseP90Millis());
        o.put("as_of", f.asOf().toString());
        return o;
    }

    private static void minutes(ObjectNode o, String field, Long millis) {
        if (millis == null) {
            o.putNull(field);
        } else {
            o.put(field, millis / 60_000.0);
        }
    }
}
