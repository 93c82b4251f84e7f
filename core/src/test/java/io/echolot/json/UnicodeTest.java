package io.echolot.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnicodeTest {

    @Test
    void replacesEveryUnpairedSurrogateAndKeepsPairs() {
        assertThat(Unicode.wellFormed("a\uD800b")).isEqualTo("a\uFFFDb");
        assertThat(Unicode.wellFormed("\uDC00")).isEqualTo("\uFFFD");
        assertThat(Unicode.wellFormed("end\uD83D")).isEqualTo("end\uFFFD");
        // a low surrogate before a high one is not a pair
        assertThat(Unicode.wellFormed("\uDE00\uD83D")).isEqualTo("\uFFFD\uFFFD");
        assertThat(Unicode.wellFormed("\uD83D\uD83D\uDE00")).isEqualTo("\uFFFD\uD83D\uDE00");
        assertThat(Unicode.wellFormed(null)).isNull();
    }

    @Test
    void leavesWellFormedStringsAsTheyAre() {
        String s = "Grüße \uD83D\uDE00 日本";
        assertThat(Unicode.wellFormed(s)).isSameAs(s);
        assertThat(Unicode.wellFormedId(s)).isSameAs(s);
        assertThat(Unicode.hasUnpairedSurrogate(s)).isFalse();
    }

    @Test
    void givesABrokenIdADeterministicSuffixThatKeepsDistinctIdsApart() {
        String a = Unicode.wellFormedId("id\uD800");
        assertThat(a).matches("id\uFFFD~[0-9a-f]{16}");
        assertThat(Unicode.wellFormedId("id\uD800")).isEqualTo(a);
        assertThat(Unicode.wellFormedId("id\uD801")).isNotEqualTo(a);
        // nor does a broken id take the place of the well-formed one it resembles
        assertThat(a).isNotEqualTo(Unicode.wellFormed("id\uD800"));
        assertThat(Unicode.hasUnpairedSurrogate(a)).isFalse();
        // applying it twice changes nothing more, so a replayed event keeps its id
        assertThat(Unicode.wellFormedId(a)).isEqualTo(a);
    }
}
