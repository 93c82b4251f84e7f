package io.echolot.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.echolot.ingest.MentionParser;
import io.echolot.model.Mention;
import io.echolot.tools.Timeline.Emission;
import io.echolot.tools.Timeline.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The generator's scenario player: deterministic, and every kind of record is what it claims. */
class TimelineTest {

    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

    private static Scenario scenario(
            Duration history, Scenario.Burst burst, Scenario.Spike spike, double late) {
        return new Scenario(
                200,
                Duration.ofSeconds(120),
                history,
                Duration.ofSeconds(3),
                false,
                true,
                0.01,
                0.005,
                late,
                Duration.ofMinutes(10),
                0.02,
                burst,
                spike,
                List.of(new Scenario.Adverse("cardiofit", Duration.ofSeconds(30))),
                0.85,
                Duration.ofSeconds(20),
                null,
                null);
    }

    private static List<Emission> play(Scenario s, long seed) {
        List<Emission> out = new ArrayList<>();
        new Timeline(s, seed, START).play(out::add);
        return out;
    }

    @Test
    void theSameSeedGivesTheSameRecordsAndAnotherSeedOthers() {
        Scenario s = scenario(Duration.ofMinutes(1), null, null, 0.002);
        List<Emission> a = play(s, 7);
        List<Emission> b = play(s, 7);
        List<Emission> c = play(s, 8);
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).value()).isEqualTo(b.get(i).value());
            assertThat(a.get(i).sendAtNanos()).isEqualTo(b.get(i).sendAtNanos());
        }
        assertThat(c.get(0).value()).isNotEqualTo(a.get(0).value());
    }

    @Test
    void validRecordsParseAndMalformedOnesAreRejectedWithAReason() {
        MentionParser parser =
                new MentionParser(
                        131_072,
                        Duration.ofMinutes(10),
                        Clock.fixed(START.plusSeconds(120), ZoneOffset.UTC));
        List<Emission> all = play(scenario(Duration.ZERO, null, null, 0.002), 3);
        long malformed = 0;
        for (Emission e : all) {
            MentionParser.Result r = parser.parse(e.value());
            if (e.kind() == Kind.MALFORMED) {
                malformed++;
                assertThat(r.ok()).as(new String(e.value())).isFalse();
                assertThat(r.error()).isNotBlank();
            } else {
                assertThat(r.ok()).as(r.error() + ": " + new String(e.value())).isTrue();
                assertThat(r.mention().id()).isEqualTo(e.mention().id());
            }
        }
        assertThat(malformed).isBetween(150L, 330L); // 1% of about 24,000
    }

    @Test
    void historyComesFirstAndAtOnceThenTheLivePartIsPacedInSendOrder() {
        List<Emission> all = play(scenario(Duration.ofMinutes(2), null, null, 0), 5);
        List<Emission> history =
                all.stream()
                        .filter(e -> e.mention() != null && e.kind() == Kind.MENTION)
                        .filter(e -> e.mention().createdAt().isBefore(START.minusSeconds(5)))
                        .toList();
        assertThat(history).hasSizeGreaterThan(20_000).allMatch(e -> e.sendAtNanos() == 0);
        long previous = 0;
        for (Emission e : all) {
            assertThat(e.sendAtNanos()).isGreaterThanOrEqualTo(previous);
            previous = e.sendAtNanos();
        }
        assertThat(previous).isGreaterThan(Duration.ofSeconds(119).toNanos());
    }

    @Test
    void lateMentionsAreOlderThanTheirSendTimeByTheLateness() {
        List<Emission> late =
                play(scenario(Duration.ZERO, null, null, 0.01), 11).stream()
                        .filter(e -> e.kind() == Kind.LATE)
                        .toList();
        assertThat(late).hasSizeGreaterThan(100);
        for (Emission e : late) {
            Instant sent = START.plusNanos(e.sendAtNanos());
            assertThat(Duration.between(e.mention().createdAt(), sent))
                    .isGreaterThanOrEqualTo(Duration.ofMinutes(10));
        }
    }

    @Test
    void duplicatesRepeatTheBytesOfAMentionSentBefore() {
        List<Emission> all = play(scenario(Duration.ZERO, null, null, 0), 13);
        Set<String> sent = new HashSet<>();
        long duplicates = 0;
        for (Emission e : all) {
            if (e.kind() == Kind.DUPLICATE) {
                duplicates++;
                assertThat(sent.contains(new String(e.value())))
                        .as("repeats a sent mention")
                        .isTrue();
            } else if (e.kind().counted) {
                assertThat(sent.add(new String(e.value()))).isTrue();
            }
        }
        assertThat(duplicates).isGreaterThan(50);
    }

    @Test
    void aViralSpikeMultipliesTheBrandsVolumeWithOneReshareCascade() {
        Scenario.Spike spike =
                new Scenario.Spike("strider", Duration.ofSeconds(60), Duration.ofSeconds(30), 10);
        List<Emission> all = play(scenario(Duration.ZERO, null, spike, 0), 17);
        Map<Boolean, Long> striderPerPhase =
                all.stream()
                        .filter(e -> e.kind().counted && e.mention().brands().contains("strider"))
                        .filter(e -> e.sendAtNanos() >= Duration.ofSeconds(30).toNanos())
                        .filter(e -> e.sendAtNanos() < Duration.ofSeconds(90).toNanos())
                        .collect(
                                Collectors.partitioningBy(
                                        e -> e.sendAtNanos() >= Duration.ofSeconds(60).toNanos(),
                                        Collectors.counting()));
        double ratio = (double) striderPerPhase.get(true) / striderPerPhase.get(false);
        assertThat(ratio).isBetween(8.5, 11.5);
        List<Emission> viral = all.stream().filter(e -> e.kind() == Kind.VIRAL).toList();
        String root = viral.get(0).mention().id();
        assertThat(viral.get(0).mention().reshareOf()).isNull();
        Set<String> cascade = new HashSet<>();
        cascade.add(root);
        for (Emission e : viral.subList(1, viral.size())) {
            assertThat(cascade.contains(e.mention().reshareOf()))
                    .as(e.mention().reshareOf())
                    .isTrue();
            cascade.add(e.mention().id());
        }
    }

    @Test
    void aNegativeBurstAddsNegativeMentionsOfOneBrandAtItsRate() {
        Scenario.Burst burst =
                new Scenario.Burst("cardiofit", Duration.ofSeconds(20), Duration.ofSeconds(40), 25);
        List<Emission> burstRecords =
                play(scenario(Duration.ZERO, burst, null, 0), 19).stream()
                        .filter(e -> e.kind() == Kind.BURST)
                        .toList();
        assertThat(burstRecords).hasSizeBetween(850, 1150); // 25/s for 40 s
        assertThat(burstRecords)
                .allMatch(e -> e.mention().brands().equals(List.of("cardiofit")))
                .allMatch(e -> e.mention().sentiment() == null || e.mention().sentiment() < 0)
                .allMatch(
                        e ->
                                e.sendAtNanos() >= Duration.ofSeconds(20).toNanos()
                                        && e.sendAtNanos() < Duration.ofSeconds(60).toNanos());
    }

    @Test
    void adverseEventPostsComeAtTheirTimesAndDecoysNameNoBrand() {
        List<Emission> all = play(scenario(Duration.ZERO, null, null, 0), 23);
        List<Emission> adverse = all.stream().filter(e -> e.kind() == Kind.ADVERSE).toList();
        assertThat(adverse).hasSize(1);
        assertThat(adverse.get(0).sendAtNanos())
                .isBetween(Duration.ofMillis(29_990).toNanos(), Duration.ofSeconds(30).toNanos());
        assertThat(all.stream().filter(e -> e.kind() == Kind.DECOY))
                .isNotEmpty()
                .allMatch(e -> e.mention().brands().isEmpty());
    }

    @Test
    void theMixHasBothLanguagesAllBrandsAndReshares() {
        List<Emission> mentions =
                play(scenario(Duration.ZERO, null, null, 0), 29).stream()
                        .filter(e -> e.kind() == Kind.MENTION)
                        .toList();
        Map<String, Long> byLang =
                mentions.stream()
                        .collect(
                                Collectors.groupingBy(
                                        e -> e.mention().lang(), Collectors.counting()));
        double german = byLang.get("de") / (double) mentions.size();
        assertThat(german).isBetween(0.55, 0.65);
        assertThat(mentions.stream().map(e -> e.mention().brands().get(0)).distinct())
                .containsExactlyInAnyOrderElementsOf(MentionGenerator.brandNames());
        long reshares = mentions.stream().filter(e -> e.mention().reshareOf() != null).count();
        assertThat(reshares / (double) mentions.size()).isBetween(0.05, 0.11);
    }

    @Test
    void badScenariosFailWithEveryProblemNamed() {
        assertThatThrownBy(
                        () ->
                                new Scenario(
                                        0,
                                        Duration.ofSeconds(1),
                                        Duration.ZERO,
                                        Duration.ZERO,
                                        false,
                                        false,
                                        1.5,
                                        0,
                                        0,
                                        Duration.ZERO,
                                        0,
                                        new Scenario.Burst("acme", Duration.ZERO, Duration.ZERO, 1),
                                        new Scenario.Spike(
                                                "strider", Duration.ZERO, Duration.ZERO, 0.5),
                                        List.of(new Scenario.Adverse("strider", Duration.ZERO)),
                                        1.5,
                                        Duration.ZERO,
                                        new Scenario.Complaint("acme", Duration.ZERO, null),
                                        new Scenario.Story(
                                                "strider", Duration.ZERO, Duration.ZERO, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--rate")
                .hasMessageContaining("--malformed-share")
                .hasMessageContaining("--burst-brand")
                .hasMessageContaining("--story-brand")
                .hasMessageContaining("--story-rate")
                .hasMessageContaining("--spike-factor")
                .hasMessageContaining("--adverse-brand")
                .hasMessageContaining("--reply-share")
                .hasMessageContaining("--reply-median")
                .hasMessageContaining("--complaint-brand");
    }

    @Test
    void seasonalityAveragesToOneOverAWeekWithQuietNightsAndBusyEvenings() {
        Seasonality s = new Seasonality(true);
        Instant monday = Instant.parse("2026-11-23T00:00:00Z");
        double sum = 0;
        int n = 0;
        for (Instant t = monday;
                t.isBefore(monday.plus(Duration.ofDays(7)));
                t = t.plusSeconds(60)) {
            sum += s.factor(t);
            n++;
        }
        assertThat(sum / n).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
        double night = s.factor(Instant.parse("2026-11-25T03:00:00Z")); // 04:00 in Berlin
        double evening = s.factor(Instant.parse("2026-11-25T18:00:00Z")); // 19:00
        double sundayEvening = s.factor(Instant.parse("2026-11-29T18:00:00Z"));
        assertThat(evening).isGreaterThan(5 * night);
        assertThat(sundayEvening).isLessThan(evening);
        assertThat(new Seasonality(false).factor(Instant.parse("2026-11-25T03:00:00Z")))
                .isEqualTo(1.0);
        assertThat(Arrays.asList(night, evening)).allMatch(f -> f > 0);
    }

    @Test
    void postsAddressingABrandAreAnsweredByItsAccountInTheSameConversationLater() {
        List<Emission> all = play(scenario(Duration.ZERO, null, null, 0), 31);
        Map<String, Emission> byId = new java.util.HashMap<>();
        all.stream().filter(e -> e.mention() != null).forEach(e -> byId.put(e.mention().id(), e));
        List<Emission> replies = all.stream().filter(e -> e.kind() == Kind.REPLY).toList();
        long addressed =
                all.stream()
                        .filter(e -> e.kind() == Kind.MENTION)
                        .filter(e -> MentionGenerator.addressesBrand(e.mention()))
                        .count();
        assertThat(addressed).isBetween(700L, 1400L); // 5% of about 20,000 original posts
        assertThat(replies).hasSizeGreaterThan((int) (addressed / 2));
        for (Emission r : replies) {
            Emission to = byId.get(r.mention().replyTo());
            assertThat(to).as(r.mention().text()).isNotNull();
            if (to.kind() == Kind.FOLLOW_UP) {
                continue; // answers to follow-ups: see the next test
            }
            assertThat(MentionGenerator.addressesBrand(to.mention())).isTrue();
            assertThat(r.mention().author().handle())
                    .isEqualTo(to.mention().text().substring(1, to.mention().text().indexOf(' ')));
            assertThat(r.mention().text()).startsWith("@" + to.mention().author().handle() + " ");
            assertThat(r.mention().createdAt()).isAfter(to.mention().createdAt());
            assertThat(r.sendAtNanos()).isGreaterThanOrEqualTo(to.sendAtNanos());
        }
    }

    @Test
    void someAnsweredCustomersFollowUpInTheSameConversationWithoutNamingTheAccount() {
        List<Emission> all = play(scenario(Duration.ZERO, null, null, 0), 31);
        Map<String, Emission> byId = new java.util.HashMap<>();
        all.stream().filter(e -> e.mention() != null).forEach(e -> byId.put(e.mention().id(), e));
        long answered = all.stream().filter(e -> e.kind() == Kind.REPLY).count();
        List<Emission> followUps = all.stream().filter(e -> e.kind() == Kind.FOLLOW_UP).toList();
        assertThat((double) followUps.size())
                .isBetween(0.15 * answered, 0.35 * answered); // 30% of the first answers
        for (Emission f : followUps) {
            Mention m = f.mention();
            Emission answer = byId.get(m.replyTo());
            assertThat(answer.kind()).isEqualTo(Kind.REPLY);
            Emission customer = byId.get(answer.mention().replyTo());
            assertThat(m.author()).isEqualTo(customer.mention().author());
            assertThat(m.conversation()).isEqualTo(customer.mention().id());
            assertThat(m.text()).endsWith("?").doesNotContain("@");
            assertThat(MentionGenerator.addressesBrand(m)).isFalse();
            assertThat(m.createdAt()).isAfter(answer.mention().createdAt());
        }
        // the brand answers follow-ups in the same conversation too
        assertThat(all)
                .filteredOn(e -> e.kind() == Kind.REPLY)
                .filteredOn(e -> byId.get(e.mention().replyTo()).kind() == Kind.FOLLOW_UP)
                .isNotEmpty()
                .allMatch(
                        e ->
                                e.mention()
                                        .conversation()
                                        .equals(
                                                byId.get(e.mention().replyTo())
                                                        .mention()
                                                        .conversation()));
    }

    @Test
    void theStoryIsOriginalPostsOfManyAuthorsInItsTimeOnly() {
        Scenario base = scenario(Duration.ZERO, null, null, 0);
        Scenario s =
                new Scenario(
                        base.rate(),
                        base.duration(),
                        base.history(),
                        base.jitter(),
                        false,
                        true,
                        0,
                        0,
                        0,
                        base.lateBy(),
                        0,
                        null,
                        null,
                        List.of(),
                        0,
                        Duration.ofMinutes(1),
                        null,
                        new Scenario.Story(
                                "cardiofit", Duration.ofSeconds(30), Duration.ofSeconds(40), 2));
        List<Emission> story = play(s, 41).stream().filter(e -> e.kind() == Kind.STORY).toList();
        // 2 per second for 40 s: Poisson, so about 80
        assertThat(story).hasSizeBetween(50, 110);
        assertThat(story)
                .allSatisfy(
                        e -> {
                            assertThat(e.mention().brands()).containsExactly("cardiofit");
                            assertThat(e.mention().topics()).isEmpty();
                            assertThat(e.mention().reshareOf()).isNull();
                            assertThat(e.mention().text()).containsAnyOf("Rückruf", "recall");
                            long offset =
                                    Duration.between(START, e.mention().createdAt()).toSeconds();
                            assertThat(offset).isBetween(25L, 71L);
                        });
        assertThat(story.stream().map(e -> e.mention().author().id()).distinct().count())
                .isGreaterThan(story.size() / 2);
    }

    @Test
    void aComplaintIsSentFirstWithItsAgeAndAnsweredWhenScripted() {
        Scenario base = scenario(Duration.ofMinutes(1), null, null, 0);
        Scenario s =
                new Scenario(
                        base.rate(),
                        base.duration(),
                        base.history(),
                        base.jitter(),
                        false,
                        true,
                        base.malformedShare(),
                        base.duplicateShare(),
                        0,
                        base.lateBy(),
                        base.decoyShare(),
                        null,
                        null,
                        List.of(),
                        0,
                        Duration.ofMinutes(1),
                        new Scenario.Complaint(
                                "cardiofit", Duration.ofMinutes(65), Duration.ofSeconds(90)),
                        null);
        List<Emission> all = play(s, 37);
        Emission complaint = all.get(0);
        assertThat(complaint.kind()).isEqualTo(Kind.COMPLAINT);
        assertThat(complaint.mention().createdAt()).isEqualTo(START.minus(Duration.ofMinutes(65)));
        assertThat(complaint.mention().author().followers()).isLessThan(5_000);
        List<Emission> replies = all.stream().filter(e -> e.kind() == Kind.REPLY).toList();
        assertThat(replies).hasSize(1); // reply share 0: only the scripted answer
        assertThat(replies.get(0).mention().replyTo()).isEqualTo(complaint.mention().id());
        assertThat(replies.get(0).mention().createdAt()).isEqualTo(START.plusSeconds(90));
        assertThat(replies.get(0).mention().author().handle()).isEqualTo("cardiofit_de");
    }
}
