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

    /** A liveness check, not a measurement: 40,000 marks on one letter took 1–2 s before. */
    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aFloodOfCombiningMarksIsCutAndDoesNotStall() {
        String zalgo = "Cardiofit a" + "\u0301\u0300\u0316\u0317".repeat(10_000) + " hilft";
        assertThat(TextNormalizer.normalize(zalgo)).isEqualTo("cardiofit a hilft");
        String capped = TextNormalizer.capMarks(zalgo);
        assertThat(capped).hasSize("Cardiofit a hilft".length() + TextNormalizer.MAX_MARKS);
        // marks that take space of their own are kept by normalize, so the cut shows there
        assertThat(TextNormalizer.normalize("a" + "\u0903".repeat(40)))
                .isEqualTo("a" + "\u0903".repeat(TextNormalizer.MAX_MARKS));
        // an accent is still folded, and text without a long run is returned as it is
        assertThat(TextNormalizer.normalize("Cafe\u0301")).isEqualTo("cafe");
        String plain = "Müller e\u0301";
        assertThat(TextNormalizer.capMarks(plain)).isSameAs(plain);
    }
}
