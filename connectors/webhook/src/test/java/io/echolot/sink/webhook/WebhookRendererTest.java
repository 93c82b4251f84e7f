package io.echolot.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.echolot.alert.Alert;
import io.echolot.alert.AlertState;
import io.echolot.json.Json;
import io.echolot.language.LanguageDetector;
import io.echolot.model.Platform;
import io.echolot.model.TopMention;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Which body each endpoint gets and in which language, with a detector that reads the language from
 * the first word of each post.
 */
class WebhookRendererTest {

    private static final LanguageDetector FIRST_WORD = text -> text.split(" ", 2)[0];

    @Test
    void theLanguageIsTheOneMostPostsAreWrittenIn() {
        WebhookRenderer renderer = new WebhookRenderer(FIRST_WORD);

        assertThat(renderer.languageOf(withPosts("de a", "en b", "de c"))).isEqualTo("de");
        assertThat(renderer.languageOf(withPosts("und a", "und b", "fr c"))).isEqualTo("fr");
        // equally many: the last in alphabetical order, so the choice never depends on order
        assertThat(renderer.languageOf(withPosts("de a", "en b"))).isEqualTo("en");
        assertThat(renderer.languageOf(withPosts("en b", "de a"))).isEqualTo("en");
    }

    @Test
    void noLanguageWhenNoPostTellsOne() {
        WebhookRenderer renderer = new WebhookRenderer(FIRST_WORD);

        assertThat(renderer.languageOf(withPosts("und a", "und b"))).isNull();
        assertThat(renderer.languageOf(withPosts())).isNull();
    }

    @Test
    void theLanguageIsToldOnceWhateverTheNumberOfEndpointsAndOnlyWhenOneAsks() {
        AtomicInteger calls = new AtomicInteger();
        WebhookRenderer renderer =
                new WebhookRenderer(
                        text -> {
                            calls.incrementAndGet();
                            return "de";
                        });
        Alert alert = WebhookTestAlerts.germanBurst("a", 1, AlertState.OPEN);

        WebhookRenderer.Rendering r = renderer.of(alert);
        assertThat(calls).hasValue(0);
        for (WebhookFormat f : WebhookFormat.values()) {
            r.forEndpoint(endpoint(f, "auto"));
        }

        assertThat(calls).hasValue(alert.topMentions().size());
    }

    @Test
    void chatTextsAreInTheEndpointsLanguageOrWithAutoInThePostsLanguage() {
        WebhookRenderer renderer = new WebhookRenderer(text -> "de");
        Alert alert = WebhookTestAlerts.germanBurst("a", 1, AlertState.OPEN);
        WebhookRenderer.Rendering r = renderer.of(alert);

        for (WebhookFormat f : List.of(WebhookFormat.SLACK, WebhookFormat.TEAMS)) {
            byte[] auto = r.forEndpoint(endpoint(f, "auto")).body();
            byte[] english = r.forEndpoint(endpoint(f, "en")).body();

            assertThat(auto).isEqualTo(WebhookPayloads.render(f, alert, "de"));
            assertThat(english).isEqualTo(WebhookPayloads.render(f, alert, "en"));
            assertThat(english).isNotEqualTo(auto);
        }
    }

    @Test
    void theAlertDocumentCarriesThePostsLanguageWhateverTheEndpointsLanguage() {
        WebhookRenderer renderer = new WebhookRenderer(text -> "de");
        Alert alert = WebhookTestAlerts.germanBurst("a", 1, AlertState.OPEN);
        byte[] document = WebhookPayloads.render(WebhookFormat.JSON, alert, "de");

        WebhookRenderer.Payload json =
                renderer.of(alert).forEndpoint(endpoint(WebhookFormat.JSON, "en"));
        WebhookRenderer.Payload slack =
                renderer.of(alert).forEndpoint(endpoint(WebhookFormat.SLACK, "en"));

        assertThat(json.body()).isEqualTo(document);
        assertThat(json.alertJson()).isEqualTo(document);
        assertThat(slack.alertJson()).isEqualTo(document);
    }

    @Test
    void aChatMessageStillGoesOutWhenTheAlertDocumentCannotBeMade() throws Exception {
        WebhookRenderer renderer = new WebhookRenderer(text -> "de");
        Alert broken = withPlatforms(WebhookTestAlerts.germanBurst("a", 1, AlertState.OPEN), null);
        WebhookRenderer.Rendering r = renderer.of(broken);

        assertThatThrownBy(() -> r.forEndpoint(endpoint(WebhookFormat.JSON, "auto")))
                .isInstanceOf(NullPointerException.class);
        WebhookRenderer.Payload slack = r.forEndpoint(endpoint(WebhookFormat.SLACK, "auto"));

        assertThat(slack.body())
                .isEqualTo(WebhookPayloads.render(WebhookFormat.SLACK, broken, "de"));
        JsonNode stub = Json.mapper().readTree(slack.alertJson());
        assertThat(stub.get("id").asText()).isEqualTo("a");
        assertThat(stub.get("incomplete").asBoolean()).isTrue();
        assertThat(r.alertJsonOrStub()).isEqualTo(slack.alertJson());
    }

    @Test
    void aDetectorThatFailsLeavesTheLanguageUnknown() throws Exception {
        WebhookRenderer renderer =
                new WebhookRenderer(
                        text -> {
                            throw new IllegalStateException("no profiles");
                        });
        Alert alert = WebhookTestAlerts.germanBurst("a", 1, AlertState.OPEN);
        WebhookRenderer.Rendering r = renderer.of(alert);

        WebhookRenderer.Payload slack = r.forEndpoint(endpoint(WebhookFormat.SLACK, "auto"));
        WebhookRenderer.Payload json = r.forEndpoint(endpoint(WebhookFormat.JSON, "auto"));

        assertThat(r.language()).isNull();
        assertThat(slack.body())
                .isEqualTo(WebhookPayloads.render(WebhookFormat.SLACK, alert, null));
        assertThat(Json.mapper().readTree(json.body()).has("lang")).isFalse();
    }

    // ---------------------------------------------------------------------------------------

    private static WebhookEndpoint endpoint(WebhookFormat format, String language) {
        WebhookEndpoint e = WebhookEndpoint.of("e", "https://e.example/hook", format, null);
        return new WebhookEndpoint(
                e.name(),
                e.url(),
                e.urlRef(),
                e.format(),
                e.filter(),
                e.secret(),
                language,
                e.maxConcurrency(),
                e.ratePerSecond(),
                e.timeout(),
                e.maxAttempts(),
                e.maxRetryDuration(),
                e.initialBackoff(),
                e.maxBackoff(),
                e.maxQueued());
    }

    private static Alert withPosts(String... texts) {
        Alert a = WebhookTestAlerts.englishSpike("a", 1);
        List<TopMention> posts = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            posts.add(
                    new TopMention(
                            "m-" + i,
                            "https://x.example/" + i,
                            Platform.X,
                            "author",
                            texts[i],
                            10,
                            WebhookTestAlerts.WINDOW_START));
        }
        return a.toBuilder().topMentions(posts).build();
    }

    private static Alert withPlatforms(Alert a, java.util.Map<String, Long> platforms) {
        return a.toBuilder().platforms(platforms).build();
    }
}
