package io.echolot.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.echolot.model.Author;
import io.echolot.model.Engagement;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptimaizeLanguageDetectorTest {

    private static final OptimaizeLanguageDetector DETECTOR = OptimaizeLanguageDetector.create();

    @Test
    void detectsGermanSentences() {
        assertThat(
                        DETECTOR.detect(
                                "Seit ich die neuen Tabletten nehme, ist mir ständig schwindelig."))
                .isEqualTo("de");
        assertThat(DETECTOR.detect("Die Lieferung kam heute, danke!")).isEqualTo("de");
        assertThat(DETECTOR.detect("Wer hat Erfahrung mit dem Medikament? #Blutdruck"))
                .isEqualTo("de");
    }

    @Test
    void detectsEnglishSentences() {
        assertThat(DETECTOR.detect("The app keeps crashing since the last update."))
                .isEqualTo("en");
        assertThat(DETECTOR.detect("Delivery arrived today, thanks @strider_running!"))
                .isEqualTo("en");
        assertThat(DETECTOR.detect("Headache after taking it https://t.co/abc123")).isEqualTo("en");
    }

    @Test
    void detectsOtherConfiguredLanguages() {
        assertThat(DETECTOR.detect("Je ne sais pas si ce médicament est efficace."))
                .isEqualTo("fr");
    }

    @Test
    void isUndeterminedForEmptyOrLetterlessText() {
        assertThat(DETECTOR.detect(null)).isEqualTo(LanguageDetector.UNDETERMINED);
        assertThat(DETECTOR.detect("")).isEqualTo("und");
        assertThat(DETECTOR.detect("   ")).isEqualTo("und");
        assertThat(DETECTOR.detect("👍👍 123 !!!")).isEqualTo("und");
        assertThat(DETECTOR.detect("@strider_running https://t.co/x1")).isEqualTo("und");
    }

    @Test
    void urlsMailAddressesAndHandlesAreNotText() {
        assertThat(OptimaizeLanguageDetector.clean("see https://t.co/Ab1 and (www.x.de/y) ok"))
                .isEqualTo("see   and (  ok");
        assertThat(
                        OptimaizeLanguageDetector.clean(
                                "mail max@example.com or @acme_care, #Blutdruck"))
                .isEqualTo("mail   or  ,  Blutdruck");
        // not a handle: inside a word, or after another '@'
        assertThat(OptimaizeLanguageDetector.clean("a@b x@@y")).isEqualTo("a@b x@@y");
    }

    /**
     * A liveness check, not a measurement: posts that kept one task busy for seconds to hours with
     * the regular expressions used before (18 s for the first, 3 KB) must come back at once.
     */
    @Test
    @org.junit.jupiter.api.Timeout(10)
    void hostileRunsWithoutWhiteSpaceDoNotStallDetection() {
        for (String text :
                List.of(
                        "Cardiofit " + "a@".repeat(20_000),
                        "Cardiofit " + "a.".repeat(20_000),
                        "Cardiofit " + "#aB".repeat(13_300),
                        "Cardiofit " + "http://".repeat(5_000),
                        "Cardiofit a" + "\u0301\u0300\u0316\u0317".repeat(10_000))) {
            assertThat(DETECTOR.detect(text)).isNotNull();
        }
        // and the text is cut to what detection needs, never inside a surrogate pair
        // (after one letter, the limit falls between the two halves of an emoji)
        String emoji = "a" + "😀".repeat(OptimaizeLanguageDetector.MAX_CHARS);
        String cut = OptimaizeLanguageDetector.clean(emoji);
        assertThat(cut).hasSize(OptimaizeLanguageDetector.MAX_CHARS - 1);
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();
    }

    @Test
    void upstreamLanguageWins() {
        Mention english = mention("Die Lieferung kam heute, danke!", "en");
        Mention unknown = mention("Die Lieferung kam heute, danke!", null);

        assertThat(DETECTOR.languageOf(english)).isEqualTo("en");
        assertThat(DETECTOR.languageOf(unknown)).isEqualTo("de");
    }

    @Test
    void rejectsLanguagesWithoutProfile() {
        assertThatThrownBy(() -> OptimaizeLanguageDetector.create(Set.of("de", "xx"), 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'xx'");
    }

    @Test
    void travelsAsConfigurationAndLoadsProfilesAfterDeserialization() throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(OptimaizeLanguageDetector.create(Set.of("de", "en"), 0.5));
        }
        assertThat(bytes.size()).isLessThan(1_000);
        try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            LanguageDetector copy = (LanguageDetector) in.readObject();
            assertThat(copy.detect("Das ist ein deutscher Satz über Nebenwirkungen."))
                    .isEqualTo("de");
        }
    }

    private static Mention mention(String text, String lang) {
        return Mention.builder()
                .id("m1")
                .platform(Platform.X)
                .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
                .text(text)
                .lang(lang)
                .author(new Author("a1", "someone", 0))
                .brands(List.of())
                .topics(List.of())
                .engagement(Engagement.NONE)
                .build();
    }
}
