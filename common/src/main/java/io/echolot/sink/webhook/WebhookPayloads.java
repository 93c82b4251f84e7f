package io.echolot.sink.webhook;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.echolot.alert.Alert;
import io.echolot.alert.AlertJson;
import io.echolot.model.TopMention;
import io.echolot.serde.Json;
import io.echolot.serde.MentionJson;

/**
 * Renders one alert state as a webhook body: the alert document v1 ({@link WebhookFormat#JSON}), a
 * Slack Block Kit message, or a Teams message with an Adaptive Card. Chat texts are German when the
 * alert's language is German, English otherwise.
 */
public final class WebhookPayloads {

    /** Top posts listed in chat messages (the JSON document carries all of them). */
    static final int MAX_POSTS = 3;

    private static final int MAX_POST_TEXT = 140;

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

    static ObjectNode slack(Alert a, AlertTexts t) {
        ObjectNode o = Json.mapper().createObjectNode();
        // shown in notifications and by clients that cannot render blocks
        o.put("text", t.headline(a));
        ArrayNode blocks = o.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", cut(t.headline(a), 150));
        ObjectNode facts = blocks.addObject().put("type", "section");
        ArrayNode fields = facts.putArray("fields");
        field(fields, t.brandLabel(), a.brand());
        field(fields, t.topicLabel(), t.topic(a.topic()));
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
                String text = slackEscape(cut(m.text(), MAX_POST_TEXT).replace('\n', ' '));
                posts.append("\n• ");
                if (m.url() != null) {
                    posts.append('<').append(m.url()).append('|').append(text).append('>');
                } else {
                    posts.append(text);
                }
                posts.append(" (").append(m.platform().wireName()).append(')');
            }
            blocks.addObject()
                    .put("type", "section")
                    .putObject("text")
                    .put("type", "mrkdwn")
                    .put("text", posts.toString());
        }
        ArrayNode context = blocks.addObject().put("type", "context").putArray("elements");
        context.addObject()
                .put("type", "mrkdwn")
                .put("text", "echolot · " + a.id() + " · v" + a.version());
        return o;
    }

    static ObjectNode teams(Alert a, AlertTexts t) {
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
                .put("text", t.headline(a))
                .put("size", "Large")
                .put("weight", "Bolder")
                .put("color", severityColor(a))
                .put("wrap", true);
        ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
        fact(facts, t.brandLabel(), a.brand());
        fact(facts, t.topicLabel(), t.topic(a.topic()));
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
                String text = cut(m.text(), MAX_POST_TEXT).replace('\n', ' ');
                String line =
                        m.url() != null
                                ? "- [" + markdownEscape(text) + "](" + m.url() + ")"
                                : "- " + markdownEscape(text);
                body.addObject()
                        .put("type", "TextBlock")
                        .put("text", line + " (" + m.platform().wireName() + ")")
                        .put("wrap", true);
            }
            TopMention first = a.topMentions().get(0);
            if (first.url() != null) {
                card.putArray("actions")
                        .addObject()
                        .put("type", "Action.OpenUrl")
                        .put("title", t.openPost())
                        .put("url", first.url());
            }
        }
        body.addObject()
                .put("type", "TextBlock")
                .put("text", "echolot · " + a.id() + " · v" + a.version())
                .put("isSubtle", true)
                .put("size", "Small")
                .put("wrap", true);
        return o;
    }

    private static String severityColor(Alert a) {
        return switch (a.severity()) {
            case HIGH, CRITICAL -> "Attention";
            case MEDIUM -> "Warning";
            default -> "Default";
        };
    }

    private static void field(ArrayNode fields, String label, String value) {
        fields.addObject()
                .put("type", "mrkdwn")
                .put("text", "*" + label + "*\n" + slackEscape(value));
    }

    private static void fact(ArrayNode facts, String title, String value) {
        facts.addObject().put("title", title).put("value", value);
    }

    /** Slack's three control characters in mrkdwn. */
    static String slackEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String markdownEscape(String s) {
        return s.replace("[", "\\[").replace("]", "\\]");
    }

    private static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }
}
