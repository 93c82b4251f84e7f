package io.echolot.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VaderLexiconTest {

    @Test
    void readsWordsAndEmoticonsAndFallsBackToTheDeElongatedForm() {
        assertThat(VaderLexicon.valence("love", null)).isEqualTo(3.2f);
        assertThat(VaderLexicon.valence("awful", null)).isNegative();
        assertThat(VaderLexicon.valence(":)", null)).isPositive();
        assertThat(VaderLexicon.valence("loove", "love")).isEqualTo(3.2f);
        assertThat(VaderLexicon.valence("widget", null)).isZero();
    }
}
