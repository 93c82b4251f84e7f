package io.echolot.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {

    @Test
    void spellsOutUmlautsAndSharpS() {
        assertThat(TextNormalizer.normalize("Müller Größe ÄRGER Übel"))
                .isEqualTo("mueller groesse aerger uebel");
        assertThat(TextNormalizer.normalize("STRASSE Straße")).isEqualTo("strasse strasse");
    }

    @Test
    void foldsOtherAccents() {
        assertThat(TextNormalizer.normalize("Café crème, Łódź, Søren, garçon, Ñandú"))
                .isEqualTo("cafe creme, lodz, soren, garcon, nandu");
    }

    @Test
    void composesDecomposedCharactersFirst() {
        assertThat(TextNormalizer.normalize("Mu\u0308ller Cafe\u0301")).isEqualTo("mueller cafe");
    }

    @Test
    void collapsesWhiteSpaceAndUnifiesApostrophes() {
        assertThat(TextNormalizer.normalize("a \t\n b\u00A0c  Strider’s"))
                .isEqualTo("a b c strider's");
    }

    @Test
    void keepsPunctuationDigitsAndEmoji() {
        assertThat(TextNormalizer.normalize("#Bayer04 @X_Y 👍!")).isEqualTo("#bayer04 @x_y 👍!");
        assertThat(TextNormalizer.normalize(null)).isEmpty();
    }

    @Test
    void wordCharsAreLettersDigitsAndUnderscore() {
        assertThat(TextNormalizer.isWordChar('a')).isTrue();
        assertThat(TextNormalizer.isWordChar('7')).isTrue();
        assertThat(TextNormalizer.isWordChar('_')).isTrue();
        assertThat(TextNormalizer.isWordChar('é')).isTrue();
        assertThat(TextNormalizer.isWordChar('-')).isFalse();
        assertThat(TextNormalizer.isWordChar('#')).isFalse();
        assertThat(TextNormalizer.isWordChar('\'')).isFalse();
    }
}
