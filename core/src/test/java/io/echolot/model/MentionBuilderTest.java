package io.echolot.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MentionBuilderTest {

    /** A mention whose every field differs from the builder's defaults. */
    private static Mention full() {
        return new Mention(
                "m-1",
                Platform.REDDIT,
                "https://reddit.example/1",
                Instant.parse("2026-11-23T10:00:00Z"),
                "text",
                "de",
                new Author("a-1", "anna", 10),
                List.of("acme"),
                List.of("shoes"),
                -0.5,
                new Engagement(1, 2, 3, 4),
                "m-0",
                "m-00",
                "root",
                "acme");
    }

    @Test
    void theBuilderCarriesEveryField() {
        Mention m = full();
        assertThat(m.toBuilder().build()).isEqualTo(m);
        assertThat(
                        Mention.builder()
                                .id(m.id())
                                .platform(m.platform())
                                .url(m.url())
                                .createdAt(m.createdAt())
                                .text(m.text())
                                .lang(m.lang())
                                .author(m.author())
                                .brands(m.brands())
                                .topics(m.topics())
                                .sentiment(m.sentiment())
                                .engagement(m.engagement())
                                .reshareOf(m.reshareOf())
                                .replyTo(m.replyTo())
                                .threadRoot(m.threadRoot())
                                .brandAccount(m.brandAccount())
                                .build())
                .isEqualTo(m);
    }

    @Test
    void unsetBrandsAndTopicsAreEmptyAndTheRestNull() {
        Mention m = Mention.builder().id("m").text("t").build();
        assertThat(m.brands()).isEmpty();
        assertThat(m.topics()).isEmpty();
        assertThat(m.lang()).isNull();
        assertThat(m.sentiment()).isNull();
        assertThat(m.threadRoot()).isNull();
        assertThat(m.isBrandPost()).isFalse();
        assertThat(m.conversation()).isEqualTo("m");
    }

    @Test
    void withMethodsChangeOnlyTheirField() {
        Mention m = full();
        assertThat(m.withLang("en")).isEqualTo(m.toBuilder().lang("en").build());
        assertThat(m.withLang("en").withLang("de")).isEqualTo(m);
        assertThat(m.withSentiment(0.25).withSentiment(-0.5)).isEqualTo(m);
        assertThat(m.withSentiment(null).sentiment()).isNull();
        assertThat(m.withBrandAccount(null).isBrandPost()).isFalse();
        assertThat(m.withBrandAccount(null).withBrandAccount("acme")).isEqualTo(m);
    }
}
