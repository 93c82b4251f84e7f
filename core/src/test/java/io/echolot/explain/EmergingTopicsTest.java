package io.echolot.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.alert.AlertSignal;
import io.echolot.alert.AlertType;
import io.echolot.alert.Driver;
import io.echolot.alert.ReachPost;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import io.echolot.rules.BrandRules;
import io.echolot.testing.Mentions;
import io.echolot.window.BrandTopicKey;
import io.echolot.window.ScopedMention;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Emerging topics: a new term rising is one story; organic words, rules and one voice are not. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmergingTopicsTest {

    private static final long B = 15 * 60_000;
    private static final Duration COOLDOWN = Duration.ofMinutes(30);
    private static final Duration IDLE = Duration.ofDays(1);

    private static KeyedOneInputStreamOperatorTestHarness<String, ScopedMention, AlertSignal>
            harness(RuleVocabulary rules) throws Exception {
        return harness(rules, COOLDOWN);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ScopedMention, AlertSignal>
            harness(RuleVocabulary rules, Duration cooldown) throws Exception {
        var h = unopened(rules, cooldown);
        h.open();
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ScopedMention, AlertSignal>
            unopened(String backend) throws Exception {
        var h = unopened(RuleVocabulary.none(), COOLDOWN);
        if (backend.equals("rocksdb")) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ScopedMention, AlertSignal>
            unopened(RuleVocabulary rules, Duration cooldown) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new EmergingTopicsOperator(
                        new EmergingTopics(
                                Duration.ofMillis(B),
                                Duration.ZERO,
                                672,
                                5,
                                cooldown,
                                IDLE,
                                rules)),
                new BrandTopicKey(),
                Types.STRING);
    }

    private static void send(
            KeyedOneInputStreamOperatorTestHarness<String, ScopedMention, AlertSignal> h, Mention m)
            throws Exception {
        h.processElement(scoped(m), m.eventTimeMillis());
    }

    /** {@code buckets} buckets of organic posts, {@code perBucket} each, watermark after each. */
    private static void organic(
            KeyedOneInputStreamOperatorTestHarness<String, ScopedMention, AlertSignal> h,
            Random r,
            int from,
            int buckets,
            int perBucket)
            throws Exception {
        for (int b = from; b < from + buckets; b++) {
            for (int i = 0; i < perBucket; i++) {
                send(h, ExplainFixtures.organic(r, b + "-" + i, b * B + i * (B / perBucket)));
            }
            h.processWatermark(new Watermark((b + 1) * B - 1));
        }
    }

    private static void story(
            KeyedOneInputStreamOperatorTestHarness<String, ScopedMention, AlertSignal> h,
            int bucket,
            int posts,
            String text)
            throws Exception {
        for (int i = 0; i < posts; i++) {
            send(
                    h,
                    ExplainFixtures.mention(
                            "s" + bucket + "-" + i,
                            text + " " + (i % 3 == 0 ? "heute" : "gerade"),
                            "worried" + bucket + "-" + i,
                            100 + i * 10,
                            Platform.X,
                            bucket * B + 1_000 + i * 1_000));
        }
    }

    // on RocksDB too, where what the function reads per mention is a copy of the state
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aNovelTermRisingIsOneEmergingTopicWithItsWordsAndPosts(String backend) throws Exception {
        var h = unopened(backend);
        h.open();
        Random r = new Random(5);
        organic(h, r, 0, 20, 40);
        assertThat(h.extractOutputValues()).isEmpty();
        story(h, 20, 9, "Strider Rückruf Charge betroffen laufen");
        organic(h, r, 20, 1, 40);

        List<AlertSignal> out = h.extractOutputValues();
        assertThat(out).hasSize(1);
        AlertSignal s = out.get(0);
        assertThat(s.type()).isEqualTo(AlertType.EMERGING_TOPIC);
        assertThat(s.brand()).isEqualTo("strider");
        assertThat(s.topic()).isIn("rueckruf", "charge", "betroffen");
        assertThat(s.observed()).isEqualTo(9);
        assertThat(s.drivers().drivers())
                .extracting(Driver::value)
                .contains("rueckruf", "charge", "betroffen", "rueckruf charge")
                // an organic word in the story's posts is not new
                .doesNotContain("laufen", "strider");
        assertThat(s.drivers().drivers()).allMatch(d -> d.observed() == 9 && d.expected() < 1);
        assertThat(s.drivers().topReach()).isNotEmpty().allMatch(p -> p.text().contains("Rückruf"));
        assertThat(s.drivers().topReach())
                .isSortedAccordingTo((a, b) -> Long.compare(b.reach(), a.reach()));
        assertThat(Double.isNaN(s.drivers().coordinatedShare())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aCheckpointKeepsTheBucketStillBeingCounted(String backend) throws Exception {
        var h = unopened(backend);
        h.open();
        Random r = new Random(5);
        organic(h, r, 0, 20, 40);
        story(h, 20, 9, "Strider Rückruf Charge betroffen laufen");
        // the bucket is open and in memory when the checkpoint is taken; the job then fails and
        // restores it
        var snapshot = h.snapshot(1, 20 * B + 10_000);
        h.close();
        var restored = unopened(backend);
        restored.initializeState(snapshot);
        restored.open();
        organic(restored, r, 20, 1, 40);

        List<AlertSignal> out = restored.extractOutputValues();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).type()).isEqualTo(AlertType.EMERGING_TOPIC);
        assertThat(out.get(0).observed()).isEqualTo(9);
        restored.close();
    }

    @Test
    void theStoryRisingAgainContinuesItsAlertUnderTheSameLeadTerm() throws Exception {
        var h = harness(RuleVocabulary.none());
        Random r = new Random(6);
        organic(h, r, 0, 20, 40);
        story(h, 20, 9, "Strider Rückruf Charge");
        organic(h, r, 20, 1, 40);
        // the next bucket: more posts, one new word with the known ones
        story(h, 21, 30, "Strider Rückruf offiziell bestätigt");
        organic(h, r, 21, 1, 40);

        List<AlertSignal> out = h.extractOutputValues();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).topic()).isEqualTo(out.get(0).topic());
        assertThat(out.get(1).alertKey()).isEqualTo(out.get(0).alertKey());
        assertThat(out.get(1).observed()).isGreaterThanOrEqualTo(30);
    }

    @Test
    void theStoryRisingInTheNextBucketKeepsItsLeadTermUnderACooldownShorterThanABucket()
            throws Exception {
        var h = harness(RuleVocabulary.none(), Duration.ofMinutes(5));
        Random r = new Random(6);
        organic(h, r, 0, 20, 40);
        story(h, 20, 9, "Strider Rückruf Charge");
        organic(h, r, 20, 1, 40);
        // the next bucket, a whole bucket after the first rose: new words first in the alphabet
        story(h, 21, 30, "Strider Rückruf amtlich bestätigt");
        organic(h, r, 21, 1, 40);

        List<AlertSignal> out = h.extractOutputValues();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).alertKey()).isEqualTo(out.get(0).alertKey());
    }

    @Test
    void twoUnrelatedStoriesAreTwoAlerts() throws Exception {
        var h = harness(RuleVocabulary.none());
        Random r = new Random(7);
        organic(h, r, 0, 20, 40);
        story(h, 20, 9, "Rückruf Charge");
        for (int i = 0; i < 8; i++) {
            send(
                    h,
                    ExplainFixtures.mention(
                            "f" + i,
                            "Fälschung Onlineshop aufgepasst",
                            "buyer" + i,
                            50,
                            Platform.FACEBOOK,
                            20 * B + 500 + i * 1_000));
        }
        organic(h, r, 20, 1, 40);

        List<AlertSignal> out = h.extractOutputValues();
        assertThat(out).hasSize(2);
        assertThat(out).extracting(AlertSignal::alertKey).doesNotHaveDuplicates();
        assertThat(out.get(0).drivers().topReach())
                .extracting(ReachPost::text)
                .allMatch(t -> t.contains("Rückruf"))
                .isNotEmpty();
    }

    @Test
    void aStoryBeginningAmongThousandsOfOneOffWordsIsStillCounted() throws Exception {
        // the brand's name rises with its volume: the rules watch it
        var h =
                harness(
                        RuleVocabulary.of(
                                BrandRules.loadResource("echolot/rules/example-rules.yaml")));
        Random r = new Random(13);
        organic(h, r, 0, 20, 40);
        // a busy bucket: 3,000 posts, each with two words nobody wrote before (the long tail of a
        // busy brand), and among them, spread out, 40 posts of the story (a busy bucket needs more:
        // its expectation's floor is 0.2 + 0.002 per mention)
        for (int i = 0; i < 3_000; i++) {
            String tail = " " + oneOff(r) + " " + oneOff(r);
            send(
                    h,
                    ExplainFixtures.mention(
                            "t" + i,
                            "Strider" + tail,
                            "tail" + i,
                            100,
                            Platform.X,
                            20 * B + i * 250L));
            if (i % 75 == 10) {
                send(
                        h,
                        ExplainFixtures.mention(
                                "st" + i,
                                "Strider Rückruf Charge" + tail,
                                "worried" + i,
                                100,
                                Platform.X,
                                20 * B + i * 250L + 1));
            }
        }
        h.processWatermark(new Watermark(21 * B - 1));
        List<AlertSignal> out = h.extractOutputValues();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).drivers().drivers())
                .extracting(Driver::value, Driver::observed)
                .contains(org.assertj.core.groups.Tuple.tuple("rueckruf", 40L));
    }

    private static String oneOff(Random r) {
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            w.append((char) ('a' + r.nextInt(26)));
        }
        return w.toString();
    }

    // A mention is counted against the term table kept since the key's first read; a timer folds
    // a bucket into the stored table, so the kept one must go. On RocksDB each read is a copy:
    // kept past the timer, it would still be the table from before.
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aMentionAfterABucketWasFoldedIsCountedAgainstTheNewTable(String backend) throws Exception {
        var h = unopened(backend);
        h.open();
        Random r = new Random(13);
        // three buckets, each folded into the table by the watermark after it
        organic(h, r, 0, 3, 40);
        Mention m = ExplainFixtures.organic(r, "3-0", 3 * B);
        send(h, m);
        EmergingTopics f =
                (EmergingTopics) ((EmergingTopicsOperator) h.getOperator()).getUserFunction();
        TermTrends inUse = f.trendsInUse(new BrandTopicKey().getKey(scoped(m)));
        assertThat(inUse).isNotNull();
        assertThat(inUse.buckets).isEqualTo(3);
    }

    private static ScopedMention scoped(Mention m) {
        return new ScopedMention("strider", "all", m);
    }

    @Test
    void wordsTheRulesWatchNeverEmerge() throws Exception {
        BrandRules rules = BrandRules.loadResource("echolot/rules/example-rules.yaml");
        var h = harness(RuleVocabulary.of(rules));
        Random r = new Random(8);
        organic(h, r, 0, 20, 40);
        // "app" and "absturz" are the strider app topic's keywords, "stridercrew" its hashtag
        story(h, 20, 12, "App Absturz #stridercrew");
        organic(h, r, 20, 1, 40);
        assertThat(h.extractOutputValues()).isEmpty();
    }

    @Test
    void oneAccountRepeatingAWordOrReshareOfAPostIsNoStory() throws Exception {
        var h = harness(RuleVocabulary.none());
        Random r = new Random(9);
        organic(h, r, 0, 20, 40);
        for (int i = 0; i < 20; i++) {
            // one spammer
            send(
                    h,
                    ExplainFixtures.mention(
                            "spam" + i,
                            "Gewinnspiel klicken",
                            "spammer",
                            5,
                            Platform.X,
                            20 * B + i * 1_000));
            // reshares of one post repeat it: the spike detector's story, not a new topic
            Mention m =
                    ExplainFixtures.mention(
                            "rs" + i,
                            "Rückruf Charge",
                            "sharer" + i,
                            50,
                            Platform.X,
                            20 * B + i * 1_000);
            send(h, Mentions.reshareOf(m, "orig-1"));
        }
        organic(h, r, 20, 1, 40);
        assertThat(h.extractOutputValues()).isEmpty();
    }

    @Test
    void nothingIsReportedWhileTheBaselineWarmsUp() throws Exception {
        var h = harness(RuleVocabulary.none());
        Random r = new Random(10);
        organic(h, r, 0, EmergingTopics.WARMUP_BUCKETS - 1, 40);
        story(h, EmergingTopics.WARMUP_BUCKETS - 1, 20, "Rückruf Charge");
        organic(h, r, EmergingTopics.WARMUP_BUCKETS - 1, 1, 40);
        assertThat(h.extractOutputValues()).isEmpty();
    }

    @Test
    void organicTrafficRaisesNothingOverAWeek() throws Exception {
        var h = harness(RuleVocabulary.none());
        Random r = new Random(11);
        // a week of 15-minute buckets at a varying rate, quiet nights included
        for (int b = 0; b < 7 * 96; b++) {
            int perBucket = 1 + (int) (60 * Math.max(0, Math.sin(Math.PI * (b % 96) / 96.0)));
            organic(h, r, b, 1, perBucket);
        }
        assertThat(h.extractOutputValues()).isEmpty();
    }

    @Test
    void aBrandWithoutMentionsIsForgotten() throws Exception {
        var h = harness(RuleVocabulary.none());
        Random r = new Random(12);
        organic(h, r, 0, 10, 40);
        assertThat(h.numKeyedStateEntries()).isGreaterThan(0);
        h.processWatermark(new Watermark(10 * B + IDLE.toMillis() + 2 * B));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
