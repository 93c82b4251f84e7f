package io.echolot.language;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.model.Author;
import io.echolot.model.Engagement;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LanguageTagsTest {

    @Test
    void keepsTheLowerCasedPrimarySubtagOfAKnownLanguage() {
        assertThat(LanguageTags.normalise("de")).isEqualTo("de");
        assertThat(LanguageTags.normalise("DE")).isEqualTo("de");
        assertThat(LanguageTags.normalise("de-AT")).isEqualTo("de");
        assertThat(LanguageTags.normalise("de_CH")).isEqualTo("de");
        assertThat(LanguageTags.normalise("zh-Hant-TW")).isEqualTo("zh");
        assertThat(LanguageTags.normalise(" en-GB ")).isEqualTo("en");
    }

    @Test
    void turnsAThreeLetterCodeIntoItsTwoLetterEquivalent() {
        assertThat(LanguageTags.normalise("deu")).isEqualTo("de");
        assertThat(LanguageTags.normalise("ENG-us")).isEqualTo("en");
    }

    @Test
    void makesEverythingElseUndetermined() {
        assertThat(LanguageTags.normalise("und")).isEqualTo("und");
        assertThat(LanguageTags.normalise("UND-x-foo")).isEqualTo("und");
        assertThat(LanguageTags.normalise("xx")).isEqualTo("und");
        assertThat(LanguageTags.normalise("qaa")).isEqualTo("und");
        assertThat(LanguageTags.normalise("zz-Latn")).isEqualTo("und");
        assertThat(LanguageTags.normalise("-de")).isEqualTo("und");
        assertThat(LanguageTags.normalise(null)).isNull();
        assertThat(LanguageTags.normalise("  ")).isNull();
    }

    @Test
    void theSetOfTagsIsBoundedByTheJdksLanguages() {
        Set<String> seen = new HashSet<>();
        for (char a = 'a'; a <= 'z'; a++) {
            for (char b = 'a'; b <= 'z'; b++) {
                seen.add(LanguageTags.normalise("" + a + b + "-X" + a));
                for (char c = 'a'; c <= 'z'; c++) {
                    seen.add(LanguageTags.normalise("" + a + b + c));
                }
            }
        }
        Set<String> allowed = new HashSet<>(Set.of(Locale.getISOLanguages()));
        allowed.add(LanguageDetector.UNDETERMINED);
        assertThat(allowed).containsAll(seen);
        assertThat(seen).allMatch(LanguageTags::isNormalised);
    }

    @Test
    void theDetectorsLanguagesAreNormalisedTags() {
        assertThat(OptimaizeLanguageDetector.DEFAULT_LANGUAGES)
                .allSatisfy(l -> assertThat(LanguageTags.normalise(l)).isEqualTo(l));
    }

    @Test
    void languageOfGivesANormalisedTagForAnyMention() {
        LanguageDetector fixed = text -> "de-DE";
        assertThat(fixed.languageOf(mention("pt-BR"))).isEqualTo("pt");
        assertThat(fixed.languageOf(mention("klingon"))).isEqualTo("und");
        // no tag on the mention: the detector's answer, normalised too
        assertThat(fixed.languageOf(mention(null))).isEqualTo("de");
        assertThat(((LanguageDetector) text -> null).languageOf(mention(" "))).isEqualTo("und");
    }

    private static Mention mention(String lang) {
        return Mention.builder()
                .id("m")
                .platform(Platform.X)
                .createdAt(Instant.parse("2026-11-23T10:00:00Z"))
                .text("Hallo Welt")
                .lang(lang)
                .author(new Author("a", null, 0))
                .brands(List.of("b"))
                .topics(List.of())
                .engagement(Engagement.NONE)
                .build();
    }
}
