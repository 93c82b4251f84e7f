package io.echolot.sink.webhook;

import java.util.Locale;

/** How an alert is written into a webhook request body. */
public enum WebhookFormat {
    /** The alert document v1 ({@code alert-v1.schema.json}) as it is, for any receiver. */
    JSON,
    /** A Slack incoming-webhook message with Block Kit blocks. */
    SLACK,
    /** A Microsoft Teams message carrying an Adaptive Card. */
    TEAMS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WebhookFormat fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
