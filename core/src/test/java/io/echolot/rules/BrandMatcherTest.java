package io.echolot.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.model.Author;
import io.echolot.model.Engagement;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import io.echolot.rules.BrandMatcher.Match;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrandMatcherTest {

    private static final BrandMatcher EXAMPLE =
            BrandMatcher.compile(BrandRules.loadResource("echolot/rules/example-rules.yaml"));

    private static BrandMatcher matcher(String yaml) {
        return BrandMatcher.compile(BrandRules.parse(yaml, "test.yaml"));
    }

    @Test
    void matchesUmlautsAndTheirSpelledOutFormBothWays() {
        BrandMatcher m =
                matcher(
                        """
                        brands:
                          - id: mueller
                            names: [Müller]
                          - id: loewen
                            names: [Loewenbraeu]
                          - id: cafe
                            names: [Café Crème]
                        """);

        assertThat(m.match("Heute bei MÜLLER eingekauft").brands()).containsExactly("mueller");
        assertThat(m.match("heute bei mueller eingekauft").brands()).containsExactly("mueller");
        assertThat(m.match("Ein Löwenbräu bitte").brands()).containsExactly("loewen");
        assertThat(m.match("un cafe creme, s'il vous plaît").brands()).containsExactly("cafe");
        // decomposed umlaut (u + combining diaeresis), as some keyboards send it
        assertThat(m.match("Mu\u0308ller").brands()).containsExactly("mueller");
        assertThat(m.match("Muller").brands()).isEmpty();
    }

    @Test
    void matchesWholeWordsOnly() {
        assertThat(EXAMPLE.match("Bayer senkt die Prognose").brands()).containsExactly("bayer");
        assertThat(EXAMPLE.match("Bayer's Aktie, (Bayer).").brands()).containsExactly("bayer");
        assertThat(EXAMPLE.match("bayerisches Bier und Bayern").brands()).isEmpty();
        assertThat(EXAMPLE.match("Hubbayer und bayer2").brands()).isEmpty();
        assertThat(EXAMPLE.match("Strider's new drop").brands()).containsExactly("strider");
        assertThat(EXAMPLE.match("Striders sind toll").brands()).isEmpty();
    }

    @Test
    void matchesCompoundsOnlyForTermsEndingInStar() {
        BrandMatcher m =
                matcher(
                        """
                        brands:
                          - id: whole
                            names: [Strider]
                          - id: compound
                            names: ["Cardiofit*"]
                        """);

        assertThat(m.match("Cardiofittabletten sind alle").brands()).containsExactly("compound");
        assertThat(m.match("Striderschuhe").brands()).isEmpty();
        assertThat(m.match("Strider-Schuhe und Cardiofit-Packung").brands())
                .containsExactly("whole", "compound");
        // the prefix still has to start a word
        assertThat(m.match("Anticardiofit").brands()).isEmpty();
    }

    @Test
    void matchesHashtagsAndHandles() {
        assertThat(EXAMPLE.match("Endlich #Cardiofit bekommen").brands())
                .containsExactly("cardiofit");
        assertThat(EXAMPLE.match("#cardiofitcheck heute").brands()).containsExactly("cardiofit");
        // a brand hashtag matches only in its #form
        assertThat(EXAMPLE.match("striderrun heute").brands()).isEmpty();
        assertThat(EXAMPLE.match("#StriderRun am Sonntag").brands()).containsExactly("strider");
        assertThat(EXAMPLE.match("Hey @StriderApp, warum?").brands()).containsExactly("strider");
        assertThat(EXAMPLE.match("hey @striderapp_fan").brands()).isEmpty();
        assertThat(EXAMPLE.match("striderapp ohne at").brands()).isEmpty();
        assertThat(EXAMPLE.match("schreib an support@striderapp.com").brands()).isEmpty();
        assertThat(EXAMPLE.match("abc#striderrun").brands()).isEmpty();
    }

    @Test
    void matchesTheBrandsOwnPostsByAuthorHandle() {
        Match match =
                EXAMPLE.match("Neue Farben sind da!", "@Strider_Running", List.of(), List.of());

        assertThat(match.brands()).containsExactly("strider");
    }

    @Test
    void matchesPhrasesAcrossWhiteSpace() {
        assertThat(EXAMPLE.match("Die Strider\n  App stürzt   ständig ab").brands())
                .containsExactly("strider");
        assertThat(EXAMPLE.match("Cardio  Fit hilft").brands()).containsExactly("cardiofit");
        assertThat(EXAMPLE.match("Cardio-Fit hilft").brands()).containsExactly("cardiofit");
        assertThat(EXAMPLE.match("Cardiofit ist nicht\nlieferbar").topics())
                .containsExactly("lieferung");
    }

    @Test
    void excludedTermsVetoNearbyHitsOfTheCompany() {
        assertThat(EXAMPLE.match("Bayer Leverkusen gewinnt 3:0").brands()).isEmpty();
        assertThat(EXAMPLE.match("Bayer 04 Leverkusen gewinnt").brands()).isEmpty();
        assertThat(EXAMPLE.match("Bayer schlägt den FC Bayern!").brands()).isEmpty();
        assertThat(EXAMPLE.match("Die Bayer AG meldet Zahlen zu Aspirin").brands())
                .containsExactly("bayer");
        // far from the exclusion, the company still counts
        assertThat(
                        EXAMPLE.match(
                                        "FC Bayern verliert, aber das ist egal. Viel wichtiger: Bayer"
                                                + " hat die Zulassung bekommen")
                                .brands())
                .containsExactly("bayer");
        assertThat(EXAMPLE.match("Aragorn, also called Strider").brands()).isEmpty();
    }

    @Test
    void appliesBrandTopicsOnlyWithTheirBrand() {
        Match cardiofit = EXAMPLE.match("Seit Cardiofit habe ich Kopfschmerzen und Nebenwirkungen");
        assertThat(cardiofit.brands()).containsExactly("cardiofit");
        assertThat(cardiofit.topics()).containsExactly("nebenwirkung");

        Match strider = EXAMPLE.match("Strider: die App stürzt ab, Kopfschmerzen garantiert");
        assertThat(strider.topics()).containsExactly("app");

        Match noBrand = EXAMPLE.match("Kopfschmerzen seit Tagen");
        assertThat(noBrand.brands()).isEmpty();
        assertThat(noBrand.topics()).isEmpty();
    }

    @Test
    void appliesGlobalTopicsToEveryText() {
        assertThat(EXAMPLE.match("Strider Schuhe sind zu teuer, die Sohle löst sich").topics())
                .containsExactly("preis", "schuhe");
        assertThat(EXAMPLE.match("#Lieferengpass überall").topics()).containsExactly("lieferung");
        assertThat(EXAMPLE.match("Lieferengpassmeldung").topics()).containsExactly("lieferung");
        // an umlaut plural is a keyword of its own in the example (Pass -> Pässe)
        assertThat(EXAMPLE.match("Lieferengpässe bei Cardiofit").topics())
                .containsExactly("lieferung");
    }

    @Test
    void keepsBrandsAndTopicsAlreadyOnTheEvent() {
        Match match =
                EXAMPLE.match(
                        "Seit Cardiofit ist mir schwindelig",
                        null,
                        List.of("upstream-brand"),
                        List.of("upstream-topic"));

        assertThat(match.brands()).containsExactly("upstream-brand", "cardiofit");
        assertThat(match.topics()).containsExactly("upstream-topic", "nebenwirkung");
    }

    @Test
    void brandsAlreadyOnTheEventUnlockTheirTopics() {
        Match match = EXAMPLE.match("die app stürzt ab", null, List.of("strider"), List.of());

        assertThat(match.brands()).containsExactly("strider");
        assertThat(match.topics()).containsExactly("app");
    }

    @Test
    void returnsEmptyWithoutBrandOrTopic() {
        assertThat(EXAMPLE.match("Schönes Wetter heute")).isEqualTo(Match.EMPTY);
        assertThat(EXAMPLE.match("")).isEqualTo(Match.EMPTY);
        assertThat(EXAMPLE.match((String) null)).isEqualTo(Match.EMPTY);
        assertThat(matcher("brands: []").match("Cardiofit")).isEqualTo(Match.EMPTY);
    }

    @Test
    void sameTermMayBelongToSeveralBrands() {
        BrandMatcher m =
                matcher(
                        """
                        brands:
                          - id: a
                            names: [Nova]
                          - id: b
                            names: [Nova, "Nova Plus"]
                            exclude: [Bossa Nova]
                            exclude_window: 0
                        """);

        assertThat(m.match("Nova Plus").brands()).containsExactly("a", "b");
        assertThat(m.match("Bossa Nova").brands()).containsExactly("a");
    }

    /**
     * A post by the brand's own handle is about the brand; a look-alike account's is not (accent
     * and Unicode case folding are for text, not for accounts).
     */
    @Test
    void theAuthorsHandleMatchesOnlyTheBrandsOwnAccount() {
        BrandMatcher m =
                matcher(
                        """
                        version: 1
                        brands:
                          - id: acme
                            names: [Acme]
                            handles: ["@acme_official"]
                        """);
        for (String own : List.of("acme_official", "@ACME_Official", " @acme_official ")) {
            assertThat(m.match("hello", own, List.of(), List.of()).brands())
                    .as(own)
                    .containsExactly("acme");
        }
        for (String lookAlike : List.of("ácme_official", "acme_offıcial", "ACME_OFFİCIAL")) {
            assertThat(m.match("hello", lookAlike, List.of(), List.of()).brands())
                    .as(lookAlike)
                    .isEmpty();
        }
    }

    @Test
    void enrichesAMentionAndTellsPharmaBrands() {
        Mention mention =
                Mention.builder()
                        .id("m1")
                        .platform(Platform.X)
                        .createdAt(Instant.parse("2026-01-01T00:00:00Z"))
                        .text("Cardiofit: Preis gestiegen")
                        .lang("de")
                        .author(new Author("a1", "someone", 10))
                        .brands(List.of())
                        .topics(List.of())
                        .engagement(Engagement.NONE)
                        .build();

        Mention enriched = EXAMPLE.enrich(mention);

        assertThat(enriched.brands()).containsExactly("cardiofit");
        assertThat(enriched.topics()).containsExactly("preis");
        assertThat(enriched.text()).isEqualTo(mention.text());
        assertThat(EXAMPLE.pharmaBrands()).containsExactly("cardiofit", "bayer");
        assertThat(EXAMPLE.isPharma("strider")).isFalse();
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(EXAMPLE);
        }
        BrandMatcher copy;
        try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (BrandMatcher) in.readObject();
        }

        assertThat(copy.match("#Cardiofit wirkt")).isEqualTo(EXAMPLE.match("#Cardiofit wirkt"));
    }
}
