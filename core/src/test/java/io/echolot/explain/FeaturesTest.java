package io.echolot.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.alert.AlertDrivers;
import io.echolot.alert.Driver;
import io.echolot.model.Platform;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeaturesTest {

    private static KeyBaseline organicBaseline(Random r, int windows, int perWindow) {
        KeyBaseline b = new KeyBaseline();
        for (int w = 0; w < windows; w++) {
            WindowEvidence e = new WindowEvidence();
            for (int i = 0; i < perWindow; i++) {
                Features.add(e, ExplainFixtures.organic(r, w + "-" + i, w * 60_000L), false);
            }
            Features.fold(b, e, 1 - 1.0 / 240, w * 60_000L);
        }
        return b;
    }

    @Test
    void namesTheDistinctivePhraseOfAViralPostFirst() {
        Random r = new Random(7);
        KeyBaseline b = organicBaseline(r, 60, 50);
        WindowEvidence spike = new WindowEvidence();
        for (int i = 0; i < 50; i++) {
            Features.add(spike, ExplainFixtures.organic(r, "o" + i, 0), false);
        }
        for (int i = 0; i < 300; i++) {
            Features.add(
                    spike,
                    ExplainFixtures.mention(
                            "v" + i,
                            "Bei meinem Strider löst sich die Sohle nach zwei Tagen ab",
                            "sharer" + i,
                            800,
                            Platform.X,
                            0),
                    false);
        }
        AlertDrivers d = Features.explain(spike, b, false);
        assertThat(d.mentions()).isEqualTo(350);
        assertThat(d.drivers()).isNotEmpty();
        // the post's phrases, overlapping ones chained, its words not repeated
        assertThat(d.drivers().subList(0, 2))
                .extracting(Driver::value)
                .containsExactlyInAnyOrder("meinem strider loest", "zwei tagen");
        Driver first = d.drivers().get(0);
        assertThat(first.observed()).isEqualTo(300);
        assertThat(first.expected()).isLessThan(first.observed() / 10.0);
        assertThat(first.score()).isGreaterThan(Features.MIN_SCORE);
        // the organic vocabulary is what the baseline expects: no driver
        assertThat(d.drivers()).extracting(Driver::value).doesNotContain("marathon", "training");
        // the resharers were never seen before; the organic authors mostly were
        assertThat(d.firstTimeAuthorShare()).isGreaterThan(0.8);
        assertThat(d.coordinatedShare()).isZero();
        // ordered by score
        for (int i = 1; i < d.drivers().size(); i++) {
            assertThat(d.drivers().get(i).score())
                    .isLessThanOrEqualTo(d.drivers().get(i - 1).score());
        }
    }

    @Test
    void measuresCoordinatedNewAccountsSharingOneUrl() {
        Random r = new Random(8);
        KeyBaseline b = organicBaseline(r, 30, 50);
        WindowEvidence campaign = new WindowEvidence();
        for (int i = 0; i < 60; i++) {
            Features.add(campaign, ExplainFixtures.organic(r, "o" + i, 0), false);
        }
        for (int i = 0; i < 40; i++) {
            Features.add(
                    campaign,
                    ExplainFixtures.mention(
                            "c" + i,
                            "Variante "
                                    + i
                                    + " lest das https://wahrheit-news.example/strider-gift?ref="
                                    + i,
                            "new" + i,
                            3,
                            Platform.X,
                            0),
                    false);
        }
        AlertDrivers d = Features.explain(campaign, b, false);
        assertThat(d.coordinatedShare()).isEqualTo(0.4);
        assertThat(d.drivers())
                .anySatisfy(
                        x -> {
                            assertThat(x.kind()).isEqualTo("domain");
                            assertThat(x.value()).isEqualTo("wahrheit-news.example");
                            assertThat(x.observed()).isEqualTo(40);
                        });
        // organic windows have no coordinated share
        WindowEvidence organic = new WindowEvidence();
        for (int i = 0; i < 100; i++) {
            Features.add(organic, ExplainFixtures.organic(r, "p" + i, 0), false);
        }
        assertThat(Features.explain(organic, b, false).coordinatedShare()).isZero();
    }

    @Test
    void explainsNothingWithoutABaseline() {
        WindowEvidence e = new WindowEvidence();
        Features.add(e, ExplainFixtures.organic(new Random(1), "a", 0), false);
        AlertDrivers d = Features.explain(e, null, false);
        assertThat(d.drivers()).isEmpty();
        assertThat(d.firstTimeAuthorShare()).isEqualTo(1.0);
        assertThat(d.topReach()).hasSize(1);
    }

    @Test
    void scoresNegativeBurstsOnTheNegativeMentions() {
        Random r = new Random(9);
        KeyBaseline b = organicBaseline(r, 30, 50);
        WindowEvidence e = new WindowEvidence();
        for (int i = 0; i < 100; i++) {
            Features.add(e, ExplainFixtures.organic(r, "o" + i, 0), false);
        }
        for (int i = 0; i < 30; i++) {
            Features.add(
                    e,
                    ExplainFixtures.mention(
                            "n" + i,
                            "Strider Lieferengpass seit Wochen",
                            "angry" + i,
                            900,
                            Platform.FACEBOOK,
                            0),
                    true);
        }
        AlertDrivers d = Features.explain(e, b, true);
        assertThat(d.mentions()).isEqualTo(30);
        // the compound stays one word (in its phrase, which stands for it); "seit" is a stop word
        assertThat(d.drivers().subList(0, 2))
                .extracting(Driver::value, Driver::observed)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("strider lieferengpass", 30L),
                        org.assertj.core.groups.Tuple.tuple("wochen", 30L));
    }

    @Test
    void keepsEveryWindowAndTheBaselineBounded() {
        WindowEvidence e = new WindowEvidence();
        KeyBaseline b = new KeyBaseline();
        int sketch = b.sketch.length;
        for (int i = 0; i < 20_000; i++) {
            Features.add(
                    e,
                    ExplainFixtures.mention(
                            "m" + i,
                            "unique"
                                    + Integer.toString(i, 36).replaceAll("[0-9]", "x")
                                    + " wort"
                                    + i
                                    + " https://d"
                                    + i
                                    + ".example/",
                            "author" + i,
                            i % 200,
                            Platform.X,
                            0),
                    false);
        }
        assertThat(e.features.size()).isLessThanOrEqualTo(2 * Features.CAPACITY);
        assertThat(e.groups.size()).isLessThanOrEqualTo(2 * Features.CAPACITY);
        assertThat(e.authors).hasSize(Features.AUTHOR_SAMPLE);
        assertThat(e.topReach).hasSize(Features.TOP_REACH);
        assertThat(e.topReach.get(0).reach()).isEqualTo(199);
        for (int w = 0; w < 10; w++) {
            Features.fold(b, e, 0.99, w);
        }
        assertThat(b.sketch).hasSize(sketch);
        assertThat(b.authors).hasSize(Features.BLOOM_WORDS);
    }

    @Test
    void readsDomainsOfSharedUrlsAndRefusesMadeUpOnes() {
        assertThat(Features.sharedUrls("a https://WWW.Example.org/x?y=1 b http://[::1/ c"))
                .containsExactly("https://WWW.Example.org/x", "http://[::1/");
        assertThat(Features.domain("https://WWW.Example.org/x")).isEqualTo("example.org");
        assertThat(Features.domain("http://[::1/")).isNull();
        assertThat(Features.domain("https://")).isNull();
    }

    @Test
    void chainsOverlappingPhrasesSeenAboutAsOften() {
        var chained =
                Features.chainPhrases(
                        java.util.List.of(
                                new Driver("phrase", "sohle loest", 100, 1, 500),
                                new Driver("phrase", "loest schon", 95, 1, 480),
                                new Driver("phrase", "neue sohle", 98, 1, 490),
                                new Driver("phrase", "schon wieder", 20, 1, 60),
                                new Driver("term", "sohle", 100, 1, 400)));
        assertThat(chained)
                .extracting(Driver::kind, Driver::value, Driver::observed)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("term", "sohle", 100L),
                        org.assertj.core.groups.Tuple.tuple(
                                "phrase", "neue sohle loest schon", 95L),
                        org.assertj.core.groups.Tuple.tuple("phrase", "schon wieder", 20L));
    }

    @Test
    void scoresLikelihoodRatios() {
        assertThat(LogLikelihood.score(10, 100, 10, 100)).isZero();
        assertThat(LogLikelihood.score(50, 100, 1, 1000)).isGreaterThan(100);
        assertThat(LogLikelihood.score(5, 0, 1, 10)).isZero();
    }
}
