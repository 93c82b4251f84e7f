package io.echolot.sink.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolot.alert.Alert;
import io.echolot.alert.AlertJson;
import io.echolot.alert.Driver;
import io.echolot.json.Json;
import io.echolot.json.MentionJson;
import io.echolot.model.TopMention;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Renders one alert state as a webhook body: the alert document v1 ({@link WebhookFormat#JSON}), a
 * Slack Block Kit message, or a Teams message with an Adaptive Card. Chat texts are German when the
 * alert's language is German, English otherwise. Input text in chat messages is escaped for the
 * chat's markup by {@link ChatEscaping}.
 */
public final class WebhookPayloads {

    /** Top posts listed in chat messages (the JSON document carries all of them). */
    static final int MAX_POSTS = 3;

    /** Drivers shown in a chat message. */
    static final int MAX_DRIVERS = 5;

    private static final int MAX_POST_TEXT = 140;

    /** Brands, topics and alert ids in chat messages are cut to this many characters. */
    private static final int MAX_INPUT = 200;

    /** Slack's limit for the text of a section block. */
    private static final int MAX_SLACK_TEXT = 3000;

    private WebhookPayloads() {}

    /**
     * @param lang the alert's language ("de", "en", …) or null when not known
     */
    public static byte[] render(WebhookFormat format, Alert alert, String lang) {
        ObjectNode body =
                switch (format) {
                    case JSON -> json(alert, lang);
                    case SLACK -> slack(alert, AlertTexts.of(lang));
                    case TEAMS -> teams(alert, AlertTexts.of(lang));
                };
        return MentionJson.bytes(body);
    }

    static ObjectNode json(Alert alert, String lang) {
        ObjectNode o = AlertJson.toJson(alert);
        if (lang != null) {
            o.put("lang", lang);
        }
        return o;
    }

    /**
     * What the dead-letter topic gets when not even the alert document can be rendered: {@code id}
     * and {@code version}, and {@code incomplete: true}.
     */
    static byte[] stub(Alert alert) {
        ObjectNode o = Json.mapper().createObjectNode();
        if (alert != null) {
            o.put("id", alert.id());
            o.put("version", alert.version());
        }
        o.put("incomplete", true);
        return MentionJson.bytes(o);
    }

    // Every input-derived value (brand, topic, alert id, post texts, URLs) goes through
    // ChatEscaping for its format; labels, states, numbers and dates are ours.

    static ObjectNode slack(Alert a, AlertTexts t) {
        UnaryOperator<String> mrkdwn = v -> ChatEscaping.slack(input(v));
        UnaryOperator<String> plain = v -> ChatEscaping.slackPlain(input(v));
        ObjectNode o = Json.mapper().createObjectNode();
        // shown in notifications and by clients that cannot render blocks
        o.put("text", t.headline(a, mrkdwn));
        // a post's URL is the post's, not ours: no previews fetched from it
        o.put("unfurl_links", false);
        o.put("unfurl_media", false);
        ArrayNode blocks = o.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text")
                .put("type", "plain_text")
                .put("text", ChatEscaping.cut(t.headline(a, plain), 150));
        ObjectNode facts = blocks.addObject().put("type", "section");
        ArrayNode fields = facts.putArray("fields");
        field(fields, t.brandLabel(), mrkdwn.apply(a.brand()));
        field(fields, t.topicLabel(), t.topic(a.topic(), mrkdwn));
        field(fields, t.severityLabel(), t.severity(a.severity()));
        field(fields, t.stateLabel(), t.state(a.state()));
        field(fields, t.observedVsExpectedLabel(), t.observedVsExpected(a));
        if (a.windowStart() != null && a.windowEnd() != null) {
            field(fields, t.windowLabel(), a.windowStart() + " – " + a.windowEnd());
        }
        if (!a.topMentions().isEmpty()) {
            StringBuilder posts = new StringBuilder("*").append(t.topPostsLabel()).append("*");
            for (TopMention m :
                    a.topMentions().subList(0, Math.min(MAX_POSTS, a.topMentions().size()))) {
                String text = postText(m);
                String url = ChatEscaping.httpUrl(m.url());
                String line =
                        "\n• "
                                + (url != null
                                        ? ChatEscaping.slackLink(url, text)
                                        : ChatEscaping.slack(text))
                                + " ("
                                + m.platform().wireName()
                                + ")";
                if (posts.length() + line.length() > MAX_SLACK_TEXT) {
                    break; // Slack refuses a longer section: fewer posts, not a dead letter
                }
                posts.append(line);
            }
            mrkdwn(blocks.addObject().put("type", "section").putObject("text"), posts.toString());
        }
        if (a.drivers() != null) {
            StringBuilder lines = new StringBuilder("*").append(t.driversLabel()).append("*\n");
            lines.append(t.shares(a.drivers()));
            for (Driver d : drivers(a)) {
                String line =
                        "\n• "
                                + t.kind(d.kind())
                                + " “"
                                + mrkdwn.apply(d.value())
                                + "”: "
                                + t.driverFigures(d);
                if (lines.length() + line.length() > MAX_SLACK_TEXT) {
                    break;
                }
                lines.append(line);
            }
            mrkdwn(blocks.addObject().put("type", "section").putObject("text"), lines.toString());
        }
        ArrayNode context = blocks.addObject().put("type", "context").putArray("elements");
        mrkdwn(context.addObject(), "echolot · " + mrkdwn.apply(a.id()) + " · v" + a.version());
        return o;
    }

    static ObjectNode teams(Alert a, AlertTexts t) {
        UnaryOperator<String> md = v -> ChatEscaping.teams(input(v));
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("type", "message");
        ObjectNode attachment = o.putArray("attachments").addObject();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.putNull("contentUrl");
        ObjectNode card = attachment.putObject("content");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        card.put("lang", t.language());
        ArrayNode body = card.putArray("body");
        body.addObject()
                .put("type", "TextBlock")
                .put("text", t.headline(a, md))
                .put("size", "Large")
                .put("weight", "Bolder")
                .put("color", severityColor(a))
                .put("wrap", true);
        ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
        fact(facts, t.brandLabel(), md.apply(a.brand()));
        fact(facts, t.topicLabel(), t.topic(a.topic(), md));
        fact(facts, t.severityLabel(), t.severity(a.severity()));
        fact(facts, t.stateLabel(), t.state(a.state()));
        fact(facts, t.observedVsExpectedLabel(), t.observedVsExpected(a));
        if (a.windowStart() != null && a.windowEnd() != null) {
            fact(facts, t.windowLabel(), a.windowStart() + " – " + a.windowEnd());
        }
        if (!a.topMentions().isEmpty()) {
            body.addObject()
                    .put("type", "TextBlock")
                    .put("text", t.topPostsLabel())
                    .put("weight", "Bolder")
                    .put("wrap", true);
            for (TopMention m :
                    a.topMentions().subList(0, Math.min(MAX_POSTS, a.topMentions().size()))) {
                String text = postText(m);
                String url = ChatEscaping.httpUrl(m.url());
                String line =
                        url != null
                                ? "- " + ChatEscaping.teamsLink(url, text)
                                : "- " + ChatEscaping.teams(text);
                body.addObject()
                        .put("type", "TextBlock")
                        .put("text", line + " (" + m.platform().wireName() + ")")
                        .put("wrap", true);
            }
            String first = ChatEscaping.httpUrl(a.topMentions().get(0).url());
            if (first != null) {
                card.putArray("actions")
                        .addObject()
                        .put("type", "Action.OpenUrl")
                        .put("title", t.openPost())
                        .put("url", first);
            }
        }
        if (a.drivers() != null) {
            body.addObject()
                    .put("type", "TextBlock")
                    .put("text", t.driversLabel())
                    .put("weight", "Bolder")
                    .put("wrap", true);
            body.addObject()
                    .put("type", "TextBlock")
                    .put("text", t.shares(a.drivers()))
                    .put("wrap", true);
            ArrayNode driverFacts = body.addObject().put("type", "FactSet").putArray("facts");
            for (Driver d : drivers(a)) {
                fact(
                        driverFacts,
                        t.kind(d.kind()) + " “" + md.apply(d.value()) + "”",
                        t.driverFigures(d));
            }
        }
        body.addObject()
                .put("type", "TextBlock")
                .put("text", "echolot · " + md.apply(a.id()) + " · v" + a.version())
                .put("isSubtle", true)
                .put("size", "Small")
                .put("wrap", true);
        return o;
    }

    /** The drivers a chat message shows: the first few, the document has all. */
    private static List<Driver> drivers(Alert a) {
        List<Driver> all = a.drivers().drivers();
        return all.subList(0, Math.min(MAX_DRIVERS, all.size()));
    }

    private static String severityColor(Alert a) {
        return switch (a.severity()) {
            case HIGH, CRITICAL -> "Attention";
            case MEDIUM -> "Warning";
            default -> "Default";
        };
    }

    /** {@code value} must be escaped already (or be our own words). */
    private static void field(ArrayNode fields, String label, String value) {
        mrkdwn(fields.addObject(), "*" + label + "*\n" + value);
    }

    /** A mrkdwn text object that Slack takes as written: no auto-linked URLs, names or mentions. */
    private static void mrkdwn(ObjectNode textObject, String text) {
        textObject.put("type", "mrkdwn").put("text", text).put("verbatim", true);
    }

    /** {@code value} must be escaped already (or be our own words). */
    private static void fact(ArrayNode facts, String title, String value) {
        facts.addObject().put("title", title).put("value", value);
    }

    /** An input value on one line, cut to what a chat message shows of it. */
    private static String input(String value) {
        return ChatEscaping.cut(ChatEscaping.clean(value), MAX_INPUT);
    }

    private static String postText(TopMention m) {
        return ChatEscaping.cut(ChatEscaping.clean(m.text()), MAX_POST_TEXT);
    }
}
