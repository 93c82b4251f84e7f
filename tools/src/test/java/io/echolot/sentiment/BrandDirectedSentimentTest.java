package io.echolot.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.model.SentimentLabel;
import io.echolot.tools.sentiment.Evaluation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class BrandDirectedSentimentTest {

    private static final SentimentScorer MODEL = new ModelSentimentScorer();

    @Test
    void attackingTheBrandWhilePraisingACompetitorIsNegativeForTheBrand() {
        String post = "Nike shoes are great, but my Strider pair fell apart after a month.";
        assertThat(BrandDirectedSentiment.score(MODEL, post, "en", List.of("Strider")).label())
                .isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(BrandDirectedSentiment.score(MODEL, post, "en", List.of("Nike")).label())
                .isEqualTo(SentimentLabel.POSITIVE);
    }

    @Test
    void germanParticleAberDoesNotCutTheClauseThatNamesTheBrand() {
        String post =
                "Die Apotheke war freundlich; Cardiofit ist aber immer noch nicht lieferbar, eine"
                        + " Frechheit.";
        assertThat(BrandDirectedSentiment.score(MODEL, post, "de", List.of("Cardiofit")).label())
                .isEqualTo(SentimentLabel.NEGATIVE);
    }

    @Test
    void aPostThatNeverNamesTheBrandIsScoredWhole() {
        String post = "Great product, highly recommend.";
        assertThat(BrandDirectedSentiment.score(MODEL, post, "en", List.of("Strider")))
                .isEqualTo(MODEL.score(post, "en"));
        assertThat(BrandDirectedSentiment.score(MODEL, null, "en", List.of("Strider")))
                .isEqualTo(Sentiment.NEUTRAL);
    }

    /** The figures recorded in MODEL.md and the README for the brand-directed check set. */
    @Test
    void brandDirectedScoringBeatsWholeTextScoringOnTheCheckSet() throws IOException {
        assertThat(figures(MODEL, false)).isEqualTo("accuracy 0.458 macro-F1 0.342");
        assertThat(figures(MODEL, true)).isEqualTo("accuracy 0.875 macro-F1 0.824");
        assertThat(figures(new LexiconSentimentScorer(), false))
                .isEqualTo("accuracy 0.458 macro-F1 0.381");
        assertThat(figures(new LexiconSentimentScorer(), true))
                .isEqualTo("accuracy 0.958 macro-F1 0.969");
    }

    private static String figures(SentimentScorer scorer, boolean directed) throws IOException {
        Evaluation e = new Evaluation();
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(
                                BrandDirectedSentimentTest.class.getResourceAsStream(
                                        "/echolot/sentiment/brand_directed.tsv"),
                                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t", 4);
                SentimentLabel gold = SentimentLabel.valueOf(f[0].toUpperCase(Locale.ROOT));
                Sentiment s =
                        directed
                                ? BrandDirectedSentiment.score(scorer, f[3], f[1], List.of(f[2]))
                                : scorer.score(f[3], f[1]);
                e.add(gold, s.label());
            }
        }
        return String.format(Locale.ROOT, "accuracy %.3f macro-F1 %.3f", e.accuracy(), e.macroF1());
    }
}
