package io.echolot.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TermsTest {

    @Test
    void foldsUmlautsDropsStopWordsAndKeepsCompoundsWhole() {
        List<String> tokens =
                Terms.tokens(
                        "Lieferengpass bei CardioFit: die Apotheke hat keine Tabletten für Müller!");
        assertThat(Terms.terms(tokens))
                .containsExactly("lieferengpass", "cardiofit", "apotheke", "tabletten", "mueller");
    }

    @Test
    void foldsSpellingsOfOneWordIntoOneTerm() {
        assertThat(Terms.terms(Terms.tokens("Rückruf RUECKRUF rückruf Straße Strasse Café")))
                .containsExactly("rueckruf", "strasse", "cafe");
    }

    @Test
    void makesPhrasesOnlyOfAdjacentWordsNotAcrossStopWords() {
        List<String> tokens = Terms.tokens("Die Sohle löst sich nach zwei Wochen, Sohle löst");
        assertThat(Terms.phrases(tokens))
                .containsExactly("sohle loest", "zwei wochen", "wochen sohle");
    }

    @Test
    void skipsUrlsAndHandles() {
        List<String> tokens =
                Terms.tokens(
                        "Lest das https://evil.example/path?x=lieferengpass @cardiofit_de jetzt");
        assertThat(Terms.terms(tokens)).containsExactly("lest");
        assertThat(Terms.phrases(tokens)).isEmpty();
    }

    @Test
    void boundsHugeAndHostileTexts() {
        String huge =
                "wort ".repeat(100_000) + "\u0000\u202e<script>alert(1)</script>" + "x".repeat(500);
        List<String> tokens = Terms.tokens(huge);
        assertThat(tokens).hasSizeLessThanOrEqualTo(Terms.MAX_TOKENS);
        assertThat(Terms.tokens("<b>Engpass</b>\u0007" + "y".repeat(1000)))
                .allSatisfy(t -> assertThat(t == null || t.length() <= Terms.MAX_TERM).isTrue())
                .contains("engpass");
        assertThat(Terms.tokens(null)).isEmpty();
        assertThat(Terms.tokens("\ud800 \udfff")).allSatisfy(t -> assertThat(t).isNull());
    }
}
