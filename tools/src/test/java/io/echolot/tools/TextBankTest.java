package io.echolot.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.model.SentimentLabel;
import io.echolot.rules.BrandMatcher;
import io.echolot.rules.BrandRules;
import io.echolot.sentiment.LexiconSentimentScorer;
import io.echolot.tools.TextBank.Post;
import io.echolot.tools.TextBank.Tone;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The generator's posts must mean what they are written for: the example rules find their brand and
 * topic, the sentiment scorer reads their tone, and decoys match no brand.
 */
class TextBankTest {

    private static final BrandMatcher RULES =
            BrandMatcher.compile(BrandRules.loadResource("echolot/rules/example-rules.yaml"));

    private static List<Post> everyPost() {
        List<Post> posts = new ArrayList<>(TextBank.all());
        posts.addAll(TextBank.ADVERSE);
        TextBank.VIRAL.values().forEach(posts::addAll);
        posts.addAll(TextBank.COMPLAINTS.values());
        TextBank.FOLLOW_UPS.values().forEach(byLang -> posts.addAll(byLang.values()));
        return posts;
    }

    @Test
    void theExampleRulesFindEachPostsBrandAndTopic() {
        SoftAssertions soft = new SoftAssertions();
        for (Post post : everyPost()) {
            BrandMatcher.Match match = RULES.match(post.text());
            soft.assertThat(match.brands()).as(post.text()).containsExactly(post.brand());
            soft.assertThat(match.topics()).as(post.text()).contains(post.topic());
        }
        soft.assertAll();
    }

    @Test
    void theSentimentScorerReadsEachPostsTone() {
        LexiconSentimentScorer scorer = new LexiconSentimentScorer();
        for (Post post : everyPost()) {
            SentimentLabel label =
                    SentimentLabel.of(scorer.score(post.text(), post.lang()).score());
            assertThat(label).as(post.text()).isEqualTo(expected(post.tone()));
        }
    }

    @Test
    void decoysNameNoBrand() {
        for (String decoy : TextBank.DECOYS) {
            assertThat(RULES.match(decoy).brands()).as(decoy).isEmpty();
        }
    }

    @Test
    void everyBrandAndTopicOfTheMixHasPostsInBothLanguages() {
        for (TextBank.GeneratedBrand brand : TextBank.BRANDS) {
            for (String topic : brand.topicWeights().keySet()) {
                for (String lang : List.of("de", "en")) {
                    assertThat(TextBank.all())
                            .as(brand.name() + "/" + topic + "/" + lang)
                            .anyMatch(
                                    p ->
                                            p.brand().equals(brand.name())
                                                    && p.topic().equals(topic)
                                                    && p.lang().equals(lang));
                }
            }
        }
    }

    private static SentimentLabel expected(Tone tone) {
        return switch (tone) {
            case POSITIVE -> SentimentLabel.POSITIVE;
            case NEUTRAL -> SentimentLabel.NEUTRAL;
            case NEGATIVE -> SentimentLabel.NEGATIVE;
        };
    }
}
