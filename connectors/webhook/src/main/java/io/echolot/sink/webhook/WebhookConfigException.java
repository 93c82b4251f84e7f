package io.echolot.sink.webhook;

import java.util.List;

/** A webhooks file that cannot be used, with every problem found in it. */
public final class WebhookConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public WebhookConfigException(String source, List<String> problems) {
        super(source + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
