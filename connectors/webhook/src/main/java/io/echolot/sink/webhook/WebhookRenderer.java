package io.echolot.sink.webhook;

import io.echolot.alert.Alert;
import io.echolot.language.LanguageDetector;
import io.echolot.model.TopMention;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders an alert state for each endpoint it goes to: the language of its posts is told and the
 * alert document rendered at most once per alert, whatever the number of endpoints, and the chat
 * texts are in the endpoint's {@code language} ({@code auto}: the posts' language, else English).
 * {@link WebhookPayloads} makes the bodies.
 */
final class WebhookRenderer {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRenderer.class);

    private final LanguageDetector languages;

    WebhookRenderer(LanguageDetector languages) {
        this.languages = languages;
    }

    /** The renderings of one alert state; nothing is rendered until an endpoint asks. */
    Rendering of(Alert alert) {
        return new Rendering(alert);
    }

    /**
     * What one endpoint gets: the request body, and the alert document for the dead letters.
     *
     * @param alertJson the alert document v1, or a stub when a chat endpoint's alert document
     *     cannot be made
     */
    record Payload(byte[] body, byte[] alertJson) {}

    /**
     * The language most of the alert's posts are written in (of equally many, the last in
     * alphabetical order), or null when none can be told.
     */
    String languageOf(Alert alert) {
        if (alert.topMentions().isEmpty()) {
            return null;
        }
        Map<String, Integer> votes = new HashMap<>();
        for (TopMention m : alert.topMentions()) {
            String l = languages.detect(m.text());
            if (!LanguageDetector.UNDETERMINED.equals(l)) {
                votes.merge(l, 1, Integer::sum);
            }
        }
        return votes.entrySet().stream()
                .max(
                        Map.Entry.<String, Integer>comparingByValue()
                                .thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .orElse(null);
    }

    /** What all endpoints of one alert share, made once, when the first endpoint needs it. */
    final class Rendering {
        private final Alert alert;
        private String lang;
        private boolean langKnown;
        private byte[] alertJson;

        private Rendering(Alert alert) {
            this.alert = alert;
        }

        /**
         * The body for {@code e}. Throws when it cannot be rendered; a chat message still goes out
         * when only the alert document cannot be made.
         */
        Payload forEndpoint(WebhookEndpoint e) {
            String detected = language();
            byte[] json = e.format() == WebhookFormat.JSON ? alertJson() : alertJsonOrStub();
            String textLang = e.language().equals("auto") ? detected : e.language();
            byte[] body =
                    e.format() == WebhookFormat.JSON
                            ? json
                            : WebhookPayloads.render(e.format(), alert, textLang);
            return new Payload(body, json);
        }

        /** The posts' language, or null; a detector failure counts as unknown (English texts). */
        String language() {
            if (!langKnown) {
                langKnown = true;
                try {
                    lang = languageOf(alert);
                } catch (RuntimeException e) {
                    // the language only picks the chat texts' words: English then
                    LOG.warn(
                            "Could not tell the language of alert {}",
                            WebhookSinkWriter.alertIdHeader(alert.id()),
                            e);
                }
            }
            return lang;
        }

        /** The alert document v1 with {@code lang}; throws when it cannot be made. */
        byte[] alertJson() {
            if (alertJson == null) {
                alertJson = WebhookPayloads.render(WebhookFormat.JSON, alert, language());
            }
            return alertJson;
        }

        /** The alert document, or what can still be told about the alert when it cannot be made. */
        byte[] alertJsonOrStub() {
            try {
                return alertJson();
            } catch (RuntimeException e) {
                return WebhookPayloads.stub(alert);
            }
        }
    }
}
