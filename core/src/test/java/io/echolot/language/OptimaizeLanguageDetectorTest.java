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
