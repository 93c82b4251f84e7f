package io.echolot.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolot.language.LanguageTags;
import io.echolot.model.Author;
import io.echolot.model.Engagement;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import io.echolot.model.SentimentLabel;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Maps between {@link Mention} and its JSON forms: the mention event v1 (what the mentions topic
 * carries) and the enriched mention document (what the mentions index holds).
 */
public final class MentionJson {

    private MentionJson() {}

    /**
     * Builds a mention from an event that already passed schema validation. Brands and topics are
     * trimmed, lower-cased and de-duplicated, so "Bayer" and "bayer " count as one brand; the
     * reserved topic name "all" is dropped because every mention is in the brand's "all" topic.
     * {@code lang} is reduced to a bounded set of tags ({@link LanguageTags#normalise}).
     *
     * <p>Every string is made writable as UTF-8: unpaired surrogates (from JSON escapes such as
     * {@code "\ud800"}) become U+FFFD, else the mention would fail in every sink that writes it.
     * Ids (the mention's, the author's, {@code reshare_of}, {@code reply_to}, {@code thread_root})
     * get a deterministic suffix as well ({@link Unicode#wellFormedId}), so distinct ids stay
     * distinct and a reply still names the id its parent was given.
     *
     * @throws IllegalArgumentException when a value is valid JSON but not a valid mention (e.g. a
     *     timestamp without offset)
     */
    public static Mention fromEvent(JsonNode e) {
        JsonNode a = e.get("author");
        Author author =
                new Author(
                        Unicode.wellFormedId(a.get("id").asText()),
                        blankAsNull(text(a, "handle")),
                        count(a, "followers"));
        JsonNode en = e.get("engagement");
        Engagement engagement =
                en == null || en.isNull()
                        ? Engagement.NONE
                        : new Engagement(
                                count(en, "likes"),
                                count(en, "shares"),
                                count(en, "comments"),
                                count(en, "views"));
        JsonNode s = e.get("sentiment");
        return Mention.builder()
                .id(Unicode.wellFormedId(e.get("id").asText()))
                .platform(Platform.fromWireName(e.get("platform").asText()))
                .url(text(e, "url"))
                .createdAt(parseTimestamp(e.get("created_at").asText()))
                .text(Unicode.wellFormed(e.get("text").asText()))
                .lang(LanguageTags.normalise(text(e, "lang")))
                .author(author)
                .brands(keys(e.get("brands"), false))
                .topics(keys(e.get("topics"), true))
                .sentiment(s == null || s.isNull() ? null : s.asDouble())
                .engagement(engagement)
                .reshareOf(id(e, "reshare_of"))
                .replyTo(id(e, "reply_to"))
                .threadRoot(id(e, "thread_root"))
                .build();
    }

    /** ISO-8601 with an offset; a local time without offset is ambiguous and refused. */
    public static Instant parseTimestamp(String value) {
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "created_at '"
                            + value
                            + "' is not an ISO-8601 timestamp with offset (e.g. 2026-11-23T18:04:05Z)");
        }
    }

    /** The mention event v1, as the mentions topic carries it (nulls left out). */
    public static ObjectNode toEvent(Mention m) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("schema_version", 1);
        o.put("id", m.id());
        o.put("platform", m.platform().wireName());
        putIfNotNull(o, "url", m.url());
        o.put("created_at", m.createdAt().toString());
        o.put("text", m.text());
        putIfNotNull(o, "lang", m.lang());
        ObjectNode author = o.putObject("author");
        author.put("id", m.author().id());
        putIfNotNull(author, "handle", m.author().handle());
        author.put("followers", m.author().followers());
        if (!m.brands().isEmpty()) {
            array(o.putArray("brands"), m.brands());
        }
        if (!m.topics().isEmpty()) {
            array(o.putArray("topics"), m.topics());
        }
        if (m.sentiment() != null) {
            o.put("sentiment", m.sentiment());
        }
        ObjectNode en = o.putObject("engagement");
        en.put("likes", m.engagement().likes());
        en.put("shares", m.engagement().shares());
        en.put("comments", m.engagement().comments());
        en.put("views", m.engagement().views());
        putIfNotNull(o, "reshare_of", m.reshareOf());
        putIfNotNull(o, "reply_to", m.replyTo());
        putIfNotNull(o, "thread_root", m.threadRoot());
        return o;
    }

    /** The enriched mention document of the mentions index. */
    public static byte[] toDocument(Mention m) {
        ObjectNode o = toEvent(m);
        o.remove("schema_version");
        ((ObjectNode) o.get("engagement")).put("total", m.engagement().total());
        if (m.sentiment() != null) {
            o.put("sentiment_label", SentimentLabel.of(m.sentiment()).wireName());
        }
        // customers and the brand's own replies are told apart in every view
        o.put("author_role", m.isBrandPost() ? "brand" : "customer");
        putIfNotNull(o, "brand_account", m.brandAccount());
        return bytes(o);
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return Json.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void array(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    private static void putIfNotNull(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    private static String blankAsNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : Unicode.wellFormed(v.asText());
    }

    /**
     * A reference to another post (reshare, reply, thread root): a blank one refers to nothing, so
     * it is taken as absent; kept, every post naming "" would join one conversation.
     */
    private static String id(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() || v.asText().isBlank()
                ? null
                : Unicode.wellFormedId(v.asText());
    }

    private static long count(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? 0L : v.asLong();
    }

    /**
     * Whether a brand or topic from an event can be part of a key: "acme|recall" and "price" must
     * not meet "acme" and "recall|price" in one window, alert or document id.
     */
    private static boolean isKey(String k) {
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (c == '|' || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    /** The key in quotes, control characters as \\uXXXX (the reason goes into headers and logs). */
    private static String printable(String k) {
        StringBuilder b = new StringBuilder(k.length() + 2).append('"');
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (Character.isISOControl(c)) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static List<String> keys(JsonNode array, boolean isTopic) {
        if (array == null || array.isNull()) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode n : array) {
            String k = Unicode.wellFormed(n.asText()).trim().toLowerCase(Locale.ROOT);
            if (!isKey(k)) {
                throw new IllegalArgumentException(
                        (isTopic ? "topics" : "brands")
                                + " may not hold '|' or control characters, which separate the"
                                + " brand and topic in keys and document ids: "
                                + printable(k));
            }
            if (!k.isEmpty() && !(isTopic && k.equals("all"))) {
                out.add(k);
            }
        }
        return List.copyOf(new ArrayList<>(out));
    }
}
