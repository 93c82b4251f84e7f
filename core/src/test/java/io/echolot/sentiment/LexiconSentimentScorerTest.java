package io.echolot.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.echolot.model.SentimentLabel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class LexiconSentimentScorerTest {

    private final LexiconSentimentScorer scorer = new LexiconSentimentScorer();

    private double de(String text) {
        return scorer.score(text, "de").score();
    }

    private double en(String text) {
        return scorer.score(text, "en").score();
    }

    @Test
    void scoresPlainPositiveAndNegativeWords() {
        assertThat(scorer.score("Das war ein toller Tag", "de").label())
                .isEqualTo(SentimentLabel.POSITIVE);
        assertThat(scorer.score("Der Service ist schlecht", "de").label())
                .isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(scorer.score("What a great day", "en").label())
                .isEqualTo(SentimentLabel.POSITIVE);
        assertThat(scorer.score("This app is terrible", "en").label())
                .isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(scorer.score("Der Zug fährt um zehn Uhr ab", "de").label())
                .isEqualTo(SentimentLabel.NEUTRAL);
    }

    @Test
    void negationFlipsTheSentimentAfterIt() {
        assertThat(de("Das ist gut")).isPositive();
        assertThat(de("Das ist nicht gut")).isNegative();
        assertThat(de("Das war kein guter Service")).isNegative();
        assertThat(de("Der Zug war nie pünktlich")).isNegative();
        assertThat(en("The food was good")).isPositive();
        assertThat(en("The food was not good")).isNegative();
        assertThat(en("It isn't great")).isNegative();
        assertThat(en("I never liked it")).isNegative();
        assertThat(en("not bad at all")).isPositive();
    }

    @Test
    void negationReachesThreeTokensAndStopsAtAClauseEnd() {
        assertThat(en("not really very good")).isNegative();
        assertThat(en("not, good")).isPositive();
        assertThat(en("not a single one of them was good")).isPositive();
    }

    @Test
    void germanNichtAfterTheVerbNegatesTheWordBefore() {
        assertThat(de("Das gefällt mir")).isPositive();
        assertThat(de("Das gefällt mir nicht")).isNegative();
    }

    @Test
    void aModalNegationOfAComparativeIsPraise() {
        assertThat(en("I couldn't be happier")).isPositive();
        assertThat(de("Es könnte nicht besser sein")).isPositive();
        assertThat(en("I am not happier")).isNegative();
    }

    @Test
    void notOnlyIsNoNegation() {
        assertThat(de("nicht nur gut")).isPositive();
        assertThat(en("not only good")).isPositive();
    }

    @Test
    void intensifiersRaiseAndDampenersLower() {
        assertThat(de("sehr gut")).isGreaterThan(de("gut"));
        assertThat(de("total enttäuscht")).isLessThan(de("enttäuscht"));
        assertThat(de("mega schön")).isGreaterThan(de("schön"));
        assertThat(de("etwas enttäuscht")).isGreaterThan(de("enttäuscht")).isNegative();
        assertThat(de("kaum gut")).isLessThan(de("gut"));
        assertThat(en("very good")).isGreaterThan(en("good"));
        assertThat(en("so bad")).isLessThan(en("bad"));
        assertThat(en("slightly annoying")).isGreaterThan(en("annoying")).isNegative();
    }

    @Test
    void anIntensifierOnItsOwnIsLookedUp() {
        assertThat(scorer.score("Mega!", "de").label()).isEqualTo(SentimentLabel.POSITIVE);
    }

    @Test
    void scoresEmojiAndEmoticons() {
        assertThat(de("Zugfahrt 😀")).isPositive();
        assertThat(de("Zugfahrt 😡")).isNegative();
        assertThat(de("Zugfahrt 👍")).isPositive();
        assertThat(de("Zugfahrt 👎")).isNegative();
        assertThat(de("Zugfahrt ❤️")).isPositive();
        assertThat(de("Zugfahrt 🙄")).isNegative();
        assertThat(en("see you tomorrow :)")).isPositive();
        assertThat(en("see you tomorrow :(")).isNegative();
        assertThat(en("see you tomorrow :-D")).isPositive();
        assertThat(en("see you tomorrow:)")).isPositive();
        assertThat(en("see you tomorrow xD")).isPositive();
        assertThat(en("see you tomorrow-_-")).isNegative();
        assertThat(en("see you tomorrow &lt;3")).isPositive();
        assertThat(en("see you tomorrow 😂😂")).isGreaterThan(en("see you tomorrow 😂"));
    }

    @Test
    void elongatedWordsAreFoundAndBoosted() {
        assertThat(de("suuuper")).isGreaterThan(de("super"));
        assertThat(de("guuut")).isGreaterThan(de("gut"));
        assertThat(en("sooo goood")).isGreaterThan(en("good"));
        assertThat(de("schleeeecht")).isLessThan(de("schlecht"));
    }

    @Test
    void allCapsWordsAreEmphasisedUnlessTheWholeTextShouts() {
        assertThat(en("The service was GREAT today"))
                .isGreaterThan(en("The service was great today"));
        assertThat(de("Das ist SCHLECHT gemacht")).isLessThan(de("Das ist schlecht gemacht"));
        assertThat(en("THE SERVICE WAS GREAT TODAY")).isEqualTo(en("the service was great today"));
    }

    @Test
    void hashtagsAreScoredAsWordsAndCamelCaseIsSplit() {
        assertThat(en("Monday again #fail")).isNegative();
        assertThat(en("Monday again #love")).isPositive();
        assertThat(de("Montag wieder #BahnChaos")).isNegative();
        assertThat(en("Monday again #EpicFail")).isNegative();
        assertThat(en("Monday again #NotHappy")).isNegative();
    }

    @Test
    void theClauseAfterAContrastWeighsMore() {
        assertThat(en("The food was great but the service was awful")).isNegative();
        assertThat(en("The service was awful but the food was great")).isPositive();
        assertThat(de("Das Essen war gut, aber der Service war schlecht")).isNegative();
        assertThat(de("Der Zug war voll, jedoch sehr pünktlich")).isPositive();
    }

    @Test
    void punctuationEmphasisesAndQuestionsDamp() {
        assertThat(de("Das ist toll!!!")).isGreaterThan(de("Das ist toll"));
        assertThat(de("Ist das toll?")).isLessThan(de("Das ist toll.")).isPositive();
        assertThat(en("Is it amazing?")).isLessThan(en("It is amazing.")).isPositive();
    }

    @Test
    void umlautsAndTheirTransliterationsScoreAlike() {
        assertThat(de("enttaeuscht")).isEqualTo(de("enttäuscht")).isNegative();
        assertThat(de("puenktlich")).isEqualTo(de("pünktlich")).isPositive();
        assertThat(de("Scheisse")).isEqualTo(de("Scheiße")).isNegative();
        assertThat(de("ENTTÄUSCHT")).isNegative();
    }

    @Test
    void germanInflectionsStemsAndCompoundsAreFound() {
        assertThat(de("schlechteste Verbindung")).isNegative();
        assertThat(de("Verspätungen")).isNegative();
        assertThat(de("Zugausfall in Köln")).isNegative();
        assertThat(de("Klimaanlage defekt")).isNegative();
        assertThat(de("Der Zug ist ausgefallen")).isNegative();
        assertThat(de("Der Zug fällt aus")).isNegative();
        assertThat(de("enttäuschend")).isNegative();
        assertThat(de("Superservice")).isPositive();
        assertThat(de("Bahn-Katastrophe")).isNegative();
        assertThat(de("Albtraum")).isNegative();
    }

    @Test
    void aSalutationIsNotLove() {
        assertThat(de("Liebe Frau Müller, der Zug fährt um zehn")).isZero();
        assertThat(de("Ich liebe diesen Zug")).isPositive();
    }

    @Test
    void customerFeedbackVocabulary() {
        assertThat(de("Heute mal pünktlich angekommen, danke")).isPositive();
        assertThat(de("Wieder 40 Minuten Verspätung")).isNegative();
        assertThat(de("Die App stürzt ständig ab")).isNegative();
        assertThat(de("Starke Nebenwirkungen, Kopfschmerzen seit Tagen")).isNegative();
        assertThat(en("The app keeps crashing")).isNegative();
        assertThat(en("Customer service was helpful and friendly")).isPositive();
    }

    @Test
    void emptyWhitespaceAndSymbolOnlyTextsAreNeutral() {
        assertThat(scorer.score(null, "de")).isEqualTo(Sentiment.NEUTRAL);
        assertThat(scorer.score("", "de")).isEqualTo(Sentiment.NEUTRAL);
        assertThat(scorer.score("   \t\n ", "en")).isEqualTo(Sentiment.NEUTRAL);
        assertThat(scorer.score("... ?! ---", "en")).isEqualTo(Sentiment.NEUTRAL);
        assertThat(scorer.score("https://example.com/x @someone", null))
                .isEqualTo(Sentiment.NEUTRAL);
    }

    @Test
    void emojiOnlyTextsAreScored() {
        assertThat(scorer.score("😍😍", null).label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(scorer.score("😡", null).label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(scorer.score("🚆", null).label()).isEqualTo(SentimentLabel.NEUTRAL);
    }

    @Test
    void nullOrUnknownLanguageGuessesTheLanguage() {
        assertThat(LexiconSentimentScorer.guessLanguage("Das ist nicht gut und ich bin sauer"))
                .isEqualTo("de");
        assertThat(LexiconSentimentScorer.guessLanguage("This is not what I wanted"))
                .isEqualTo("en");
        assertThat(scorer.score("Das ist nicht gut", null).label())
                .isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(scorer.score("This is not good", "fr").label())
                .isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(scorer.score("Ich bin so enttäuscht", "de-AT").label())
                .isEqualTo(SentimentLabel.NEGATIVE);
        // undecided: both lexicons, but no false friends ("die", "war", "gift")
        assertThat(scorer.score("super", null).label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(scorer.score("Gift", null).label()).isEqualTo(SentimentLabel.NEUTRAL);
    }

    @Test
    void germanTextDoesNotTakeEnglishFalseFriends() {
        assertThat(scorer.score("Das war im Bad", "de").label()).isEqualTo(SentimentLabel.NEUTRAL);
        assertThat(scorer.score("That was bad", "en").label()).isEqualTo(SentimentLabel.NEGATIVE);
        assertThat(scorer.score("Das Konzert war nice", "de").label())
                .isEqualTo(SentimentLabel.POSITIVE);
    }

    @Test
    void longTextsStayInRangeAndDoNotFail() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            b.append(i % 3 == 0 ? "toll " : "Zug ");
        }
        Sentiment s = scorer.score(b.toString(), "de");
        assertThat(s.score()).isBetween(0.99, 1.0);
        assertThat(s.label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(scorer.score("a".repeat(100_000), "en")).isEqualTo(Sentiment.NEUTRAL);
    }

    @Test
    void literalUnicodeEscapesAreDecoded() {
        assertThat(en("I can\\u2019t wait")).isPositive();
        assertThat(en("I don\\u2019t like it")).isNegative();
    }

    @Test
    void scoresAreAlwaysWithinRange() {
        String[] texts = {
            "!!!!!!!!!!!! SUPER GEIL TOLL WUNDERBAR 😍😍😍😍😍😍😍😍",
            "scheiße scheiße scheiße!!!!! 😡😡😡😡 #fail #fail",
            "nicht nicht nicht kein nie",
            ":) :( :) :(",
        };
        for (String t : texts) {
            assertThat(scorer.score(t, null).score()).isBetween(-1.0, 1.0);
        }
    }

    @Test
    void serializesToASmallObject() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(scorer);
        }
        assertThat(bytes.size()).isLessThan(200);
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            SentimentScorer copy = (SentimentScorer) in.readObject();
            assertThat(copy.score("sehr gut", "de")).isEqualTo(scorer.score("sehr gut", "de"));
        }
    }

    @Test
    void sentimentRejectsScoresOutsideTheRange() {
        assertThatThrownBy(() -> Sentiment.of(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Sentiment.of(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Sentiment.of(0.05).label()).isEqualTo(SentimentLabel.POSITIVE);
        assertThat(Sentiment.of(0.049).label()).isEqualTo(SentimentLabel.NEUTRAL);
        assertThat(Sentiment.of(-0.05).label()).isEqualTo(SentimentLabel.NEGATIVE);
    }

    @Test
    void lexiconsAreLoadedAndLarge() {
        assertThat(LexiconSentimentScorer.Lexicons.german().size()).isGreaterThan(800);
        assertThat(LexiconSentimentScorer.Lexicons.english().size()).isGreaterThan(800);
        assertThat(LexiconSentimentScorer.Lexicons.emoji().size()).isGreaterThan(100);
    }

    /**
     * A liveness check, not a measurement: one 40,000-letter word took about a second in German,
     * when every tail of it was looked up as a compound's last part.
     */
    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aVeryLongWordIsScoredWithoutTryingEveryTail() {
        StringBuilder word = new StringBuilder();
        for (int i = 0; word.length() < 40_000; i++) {
            word.append((char) ('a' + (i * 7 + i / 26) % 26));
        }
        for (int i = 0; i < 20; i++) {
            assertThat(scorer.score("Cardiofit " + word, "de").label())
                    .isEqualTo(SentimentLabel.NEUTRAL);
            assertThat(scorer.score("Cardiofit " + word, null).label())
                    .isEqualTo(SentimentLabel.NEUTRAL);
        }
        // a compound still takes its last part's sentiment
        assertThat(de("So ein Zugausfall")).isNegative();
    }
}
