package io.echolot.sentiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.model.SentimentLabel;
import io.echolot.tools.sentiment.Evaluation;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSentimentScorerTest {

    private static final ModelSentimentScorer SCORER = new ModelSentimentScorer();

    /** The figures recorded in echolot/sentiment/model/MODEL.md for the committed weights. */
    @Test
    void committedWeightsReproduceTheirRecordedFiguresOnTheInDomainCheckSet() throws IOException {
        assertThat(figures("de")).isEqualTo("accuracy 0.950 macro-F1 0.950");
        assertThat(figures("en")).isEqualTo("accuracy 0.933 macro-F1 0.933");
    }

    /**
     * MODEL.md records the SHA-256 of what its training command writes (checked by re-running it);
     * weights changed without re-recording their command and figures fail here.
     */
    @Test
    void committedWeightsAreTheFileTheModelCardRecords() throws Exception {
        String card;
        try (java.io.InputStream in =
                ModelSentimentScorer.class.getResourceAsStream(
                        "/echolot/sentiment/model/MODEL.md")) {
            card = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("SHA-256 of the file: `([0-9a-f]{64})`")
                        .matcher(card);
        assertThat(m.find()).isTrue();
        byte[] weights;
        try (java.io.InputStream in =
                ModelSentimentScorer.class.getResourceAsStream(ModelSentimentScorer.RESOURCE)) {
            weights = in.readAllBytes();
        }
        String sha =
                java.util.HexFormat.of()
                        .formatHex(
                                java.security.MessageDigest.getInstance("SHA-256").digest(weights));
        assertThat(sha).isEqualTo(m.group(1));
    }

    @Test
    void scoresClearCasesInBothLanguages() {
        assertThat(SCORER.score("Das ist wirklich super, danke!", "de").label())
                .isEqualTo(SentimentLabel.POSITIVE);
        assertThat(SCORER.score("Schon wieder nicht lieferbar, eine Frechheit.", "de").label())
                .isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(SCORER.score("I love these shoes, best purchase this year", "en").label())
                .isEqualTo(SentimentLabel.POSITIVE);
        assertThat(SCORER.score("Worst customer service ever, I am so angry", null).label())
                .isEqualTo(SentimentLabel.NEGATIVE);
    }

    @Test
    void blankTextIsNeutralAndScoresStayInRange() {
        assertThat(SCORER.score(null, "de")).isEqualTo(Sentiment.NEUTRAL);
        assertThat(SCORER.score("   ", "en")).isEqualTo(Sentiment.NEUTRAL);
        for (String t :
                List.of("🙂", "!!!", "http://example.com", "@someone", "nicht nicht nicht")) {
            double s = SCORER.score(t).score();
            assertThat(s).isBetween(-1.0, 1.0);
        }
    }

    @Test
    void labelIsTheMostProbableClass() {
        assertThat(ModelSentimentScorer.of(new double[] {0.2, 0.5, 0.3}).label())
                .isEqualTo(SentimentLabel.NEUTRAL);
        assertThat(ModelSentimentScorer.of(new double[] {0.3, 0.34, 0.36}).label())
                .isEqualTo(SentimentLabel.POSITIVE);
        assertThat(ModelSentimentScorer.of(new double[] {0.4, 0.35, 0.25}).label())
                .isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(ModelSentimentScorer.of(new double[] {0.05, 0.05, 0.9}).score())
                .isCloseTo(0.85, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(SCORER);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            SentimentScorer copy = (SentimentScorer) in.readObject();
            assertThat(copy.score("Great product, highly recommend.", "en"))
                    .isEqualTo(SCORER.score("Great product, highly recommend.", "en"));
        }
    }

    @Test
    void trainingIsDeterministicAndTheFileRoundTrips() throws IOException {
        Map<String, List<SentimentTrainer.Example>> data =
                Map.of("en", examples("en"), "de", examples("de"));
        SentimentTrainer.Settings settings =
                new SentimentTrainer.Settings(12, 3, 0.1, 1e-6, 7, true, true, true, 1, 0);
        byte[] first = bytes(SentimentTrainer.train(data, settings));
        byte[] second = bytes(SentimentTrainer.train(data, settings));
        assertThat(second).isEqualTo(first);
        SentimentModel read = SentimentModel.read(new ByteArrayInputStream(first));
        assertThat(read.languages()).containsExactly("de", "en");
        assertThat(bytes(read)).isEqualTo(first);
    }

    @Test
    void eachLanguageKeepsItsOwnSettingsAndTheFileRoundTrips() throws IOException {
        SentimentTrainer.Settings plain =
                new SentimentTrainer.Settings(12, 3, 0.1, 1e-6, 7, false, false, false, 1, 0);
        SentimentTrainer.Settings withVader =
                new SentimentTrainer.Settings(12, 3, 0.1, 1e-6, 7, false, false, true, 1, 0.5);
        SentimentModel mixed =
                SentimentTrainer.train(
                        Map.of("de", examples("de"), "en", examples("en")),
                        Map.of("de", plain, "en", withVader));
        assertThat(mixed.weights("de").groups).isZero();
        assertThat(mixed.weights("en").groups).isEqualTo(SentimentFeatures.VADER);
        // the German weights are those German alone would get: English's settings do not leak
        SentimentModel germanAlone = SentimentTrainer.train(Map.of("de", examples("de")), plain);
        assertThat(mixed.weights("de").quantised).isEqualTo(germanAlone.weights("de").quantised);
        assertThat(mixed.weights("de").dense).isEqualTo(germanAlone.weights("de").dense);
        // and score German text as German alone does, though the text is extracted with VADER too
        ModelSentimentScorer both = new ModelSentimentScorer(mixed);
        ModelSentimentScorer alone = new ModelSentimentScorer(germanAlone);
        for (SentimentTrainer.Example x : examples("de")) {
            assertThat(both.score(x.text(), "de")).isEqualTo(alone.score(x.text(), "de"));
        }
        byte[] written = bytes(mixed);
        SentimentModel read = SentimentModel.read(new ByteArrayInputStream(written));
        assertThat(read.weights("en").groups).isEqualTo(SentimentFeatures.VADER);
        assertThat(bytes(read)).isEqualTo(written);
    }

    @Test
    void languagesMustAgreeOnTheHashedFeatures() {
        SentimentTrainer.Settings words =
                new SentimentTrainer.Settings(12, 1, 0.1, 0, 1, false, false, false, 1, 0);
        SentimentTrainer.Settings bigrams =
                new SentimentTrainer.Settings(12, 1, 0.1, 0, 1, true, false, false, 1, 0);
        SentimentTrainer.Settings otherSize =
                new SentimentTrainer.Settings(13, 1, 0.1, 0, 1, false, false, false, 1, 0);
        Map<String, List<SentimentTrainer.Example>> data = Map.of("de", List.of(), "en", List.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> SentimentTrainer.train(data, Map.of("de", words, "en", bigrams)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bigrams and character n-grams");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> SentimentTrainer.train(data, Map.of("de", words, "en", otherSize)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hash size");
    }

    /** A file written before feature groups were per language still reads, with its groups. */
    @Test
    void readsAFileWithOneSetOfGroupsForAllLanguages() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (java.io.DataOutputStream d =
                new java.io.DataOutputStream(new java.util.zip.GZIPOutputStream(raw))) {
            d.writeInt(0x45534D31); // "ESM1"
            d.writeInt(8); // bits
            d.writeInt(SentimentFeatures.VADER); // the groups of every language
            d.writeInt(1);
            d.writeUTF("en");
            for (int c = 0; c < 3; c++) {
                d.writeFloat(1f);
            }
            int dense = SentimentFeatures.denseCount(SentimentFeatures.VADER) * 3;
            d.writeInt(dense);
            for (int i = 0; i < dense; i++) {
                // the bias (dense feature 0) favours positive
                d.writeFloat(i == SentimentLabel.POSITIVE.ordinal() ? 2f : 0f);
            }
            d.write(new byte[(1 << 8) * 3]);
        }
        SentimentModel read = SentimentModel.read(new ByteArrayInputStream(raw.toByteArray()));
        assertThat(read.weights("en").groups).isEqualTo(SentimentFeatures.VADER);
        assertThat(new ModelSentimentScorer(read).score("anything", "en").label())
                .isEqualTo(SentimentLabel.POSITIVE);
    }

    @Test
    void learnsWhatItIsShown() {
        List<SentimentTrainer.Example> data = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            data.add(new SentimentTrainer.Example(SentimentLabel.POSITIVE, "zorbly widget " + i));
            data.add(new SentimentTrainer.Example(SentimentLabel.NEGATIVE, "grumfax widget " + i));
            data.add(new SentimentTrainer.Example(SentimentLabel.NEUTRAL, "plain widget " + i));
        }
        SentimentModel model =
                SentimentTrainer.train(
                        Map.of("en", data),
                        new SentimentTrainer.Settings(12, 5, 0.1, 0, 1, false, false, false, 1, 0));
        ModelSentimentScorer scorer = new ModelSentimentScorer(model);
        assertThat(scorer.score("zorbly", "en").label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(scorer.score("grumfax", "en").label()).isEqualTo(SentimentLabel.NEGATIVE);
        // negation scope: the negated word is a different feature, unseen here
        assertThat(scorer.score("not zorbly", "en").score())
                .isLessThan(scorer.score("zorbly", "en").score() - 0.3);
    }

    @Test
    void classBalanceDecidesHowMuchTheCorpusPriorCounts() {
        List<SentimentTrainer.Example> data = new ArrayList<>();
        for (int i = 0; i < 90; i++) {
            data.add(new SentimentTrainer.Example(SentimentLabel.NEUTRAL, "plain widget " + i));
        }
        for (int i = 0; i < 10; i++) {
            data.add(new SentimentTrainer.Example(SentimentLabel.POSITIVE, "zorbly widget " + i));
            data.add(new SentimentTrainer.Example(SentimentLabel.NEGATIVE, "grumfax widget " + i));
        }
        // the bias of neutral over positive: the corpus's own prior raises it
        assertThat(neutralBias(train(data, 0, false)))
                .isGreaterThan(neutralBias(train(data, 1, false)) + 0.5);
        // so a text without evidence leans to the majority
        assertThat(new ModelSentimentScorer(train(data, 0, false)).score("snorp", "en").label())
                .isEqualTo(SentimentLabel.NEUTRAL);
    }

    @Test
    void dropoutTrainsDeterministicallyAndStillLearns() throws IOException {
        List<SentimentTrainer.Example> data = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            data.add(new SentimentTrainer.Example(SentimentLabel.POSITIVE, "zorbly widget " + i));
            data.add(new SentimentTrainer.Example(SentimentLabel.NEGATIVE, "grumfax widget " + i));
            data.add(new SentimentTrainer.Example(SentimentLabel.NEUTRAL, "plain widget " + i));
        }
        SentimentTrainer.Settings settings =
                new SentimentTrainer.Settings(12, 5, 0.1, 0, 1, false, false, false, 1, 0.5);
        SentimentModel first = SentimentTrainer.train(Map.of("en", data), settings);
        assertThat(bytes(SentimentTrainer.train(Map.of("en", data), settings)))
                .isEqualTo(bytes(first));
        assertThat(
                        bytes(
                                SentimentTrainer.train(
                                        Map.of("en", data),
                                        new SentimentTrainer.Settings(
                                                12, 5, 0.1, 0, 1, false, false, false, 1, 0))))
                .isNotEqualTo(bytes(first));
        ModelSentimentScorer scorer = new ModelSentimentScorer(first);
        assertThat(scorer.score("zorbly", "en").label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(scorer.score("grumfax", "en").label()).isEqualTo(SentimentLabel.NEGATIVE);
    }

    @Test
    void characterNgramsCarryAWordToItsUnseenForms() {
        List<SentimentTrainer.Example> data = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            data.add(new SentimentTrainer.Example(SentimentLabel.POSITIVE, "zorbly widget " + i));
            data.add(new SentimentTrainer.Example(SentimentLabel.NEGATIVE, "grumfax widget " + i));
            data.add(new SentimentTrainer.Example(SentimentLabel.NEUTRAL, "plain widget " + i));
        }
        ModelSentimentScorer withChars = new ModelSentimentScorer(train(data, 1, true));
        ModelSentimentScorer wordsOnly = new ModelSentimentScorer(train(data, 1, false));
        assertThat(withChars.score("zorblyness", "en").label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(withChars.score("grumfaxes", "en").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(withChars.score("zorblyness", "en").score())
                .isGreaterThan(wordsOnly.score("zorblyness", "en").score());
    }

    /** The bias weight of neutral minus that of positive (dense feature 0 is the constant 1). */
    private static double neutralBias(SentimentModel m) {
        float[] dense = m.weights("en").dense;
        return dense[SentimentLabel.NEUTRAL.ordinal()] - dense[SentimentLabel.POSITIVE.ordinal()];
    }

    private static SentimentModel train(
            List<SentimentTrainer.Example> data, double classBalance, boolean charNgrams) {
        return SentimentTrainer.train(
                Map.of("en", data),
                new SentimentTrainer.Settings(
                        12, 5, 0.1, 0, 1, false, charNgrams, false, classBalance, 0));
    }

    private static byte[] bytes(SentimentModel m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.write(out);
        return out.toByteArray();
    }

    private static String figures(String lang) throws IOException {
        Evaluation e = new Evaluation();
        for (SentimentTrainer.Example x : examples(lang)) {
            e.add(x.label(), SCORER.score(x.text(), lang).label());
        }
        return String.format(Locale.ROOT, "accuracy %.3f macro-F1 %.3f", e.accuracy(), e.macroF1());
    }

    private static List<SentimentTrainer.Example> examples(String lang) throws IOException {
        List<SentimentTrainer.Example> out = new ArrayList<>();
        String name = "/echolot/sentiment/in_domain_" + lang + ".tsv";
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(
                                ModelSentimentScorerTest.class.getResourceAsStream(name),
                                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                int tab = line.indexOf('\t');
                out.add(
                        new SentimentTrainer.Example(
                                SentimentLabel.valueOf(
                                        line.substring(0, tab).toUpperCase(Locale.ROOT)),
                                line.substring(tab + 1)));
            }
        }
        return out;
    }
}
