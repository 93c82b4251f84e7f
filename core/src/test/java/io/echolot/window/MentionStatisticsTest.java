package io.echolot.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.echolot.model.Author;
import io.echolot.model.Engagement;
import io.echolot.model.Mention;
import io.echolot.model.Platform;
import io.echolot.model.TopMention;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MentionStatisticsTest {

    private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

    private static ScopedMention m(
            String id, String author, Platform p, String lang, Double sentiment, long likes) {
        Mention mention =
                Mention.builder()
                        .id(id)
                        .platform(p)
                        .createdAt(T)
                        .text("t" + id)
                        .lang(lang)
                        .author(new Author(author, author, 10))
                        .brands(List.of("b"))
                        .topics(List.of())
                        .sentiment(sentiment)
                        .engagement(new Engagement(likes, 1, 0, 100))
                        .build();
        return new ScopedMention("b", "all", mention);
    }

    @Test
    void countsVolumeAuthorsReachEngagementAndBreakdowns() {
        MentionStatistics f = new MentionStatistics(2);
        MentionStats acc = f.createAccumulator();
        acc = f.add(m("1", "alice", Platform.X, "de", 0.8, 5), acc);
        acc = f.add(m("2", "alice", Platform.X, null, -0.6, 1), acc);
        acc = f.add(m("3", "bob", Platform.REDDIT, "en", 0.0, 9), acc);
        acc = f.add(m("4", "carol", Platform.REDDIT, "en", null, 0), acc);

        assertThat(acc.mentions).isEqualTo(4);
        assertThat(UniqueAuthors.count(acc)).isEqualTo(3);
        assertThat(acc.reach).isEqualTo(40);
        assertThat(acc.likes).isEqualTo(15);
        assertThat(acc.shares).isEqualTo(4);
        assertThat(acc.views).isEqualTo(400);
        assertThat(acc.scored).isEqualTo(3);
        assertThat(acc.positive).isEqualTo(1);
        assertThat(acc.neutral).isEqualTo(1);
        assertThat(acc.negative).isEqualTo(1);
        assertThat(acc.sentimentSum).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(acc.platforms).containsEntry("x", 2L).containsEntry("reddit", 2L);
        assertThat(acc.languages)
                .containsEntry("de", 1L)
                .containsEntry("en", 2L)
                .containsEntry("und", 1L);
        assertThat(acc.top).extracting(TopMention::id).containsExactly("3", "1");
    }

    @Test
    void countsLanguagesUnderBoundedTagsOnly() {
        MentionStatistics f = new MentionStatistics(0);
        MentionStats acc = f.createAccumulator();
        for (String lang : List.of("de-AT", "DE", "en_GB", "x-unheard-of", "xx", "und")) {
            acc = f.add(m(lang, "a", Platform.X, lang, null, 0), acc);
        }
        assertThat(acc.languages).containsOnlyKeys("de", "en", "und");
        assertThat(acc.languages)
                .containsEntry("de", 2L)
                .containsEntry("en", 1L)
                .containsEntry("und", 3L);
    }

    @Test
    void topMentionsDoNotDependOnArrivalOrderAndIgnoreRedeliveries() {
        MentionStatistics f = new MentionStatistics(3);
        MentionStats a = f.createAccumulator();
        MentionStats b = f.createAccumulator();
        List<ScopedMention> in =
                List.of(
                        m("a", "u", Platform.X, "de", null, 4),
                        m("b", "u", Platform.X, "de", null, 4),
                        m("c", "u", Platform.X, "de", null, 7),
                        m("d", "u", Platform.X, "de", null, 1),
                        m("c", "u", Platform.X, "de", null, 7));
        for (ScopedMention s : in) {
            a = f.add(s, a);
        }
        for (int i = in.size() - 1; i >= 0; i--) {
            b = f.add(in.get(i), b);
        }
        assertThat(a.top).extracting(TopMention::id).containsExactly("c", "a", "b");
        assertThat(b.top).isEqualTo(a.top);
    }

    @Test
    void mergeEqualsAddingEverythingToOne() {
        MentionStatistics f = new MentionStatistics(2);
        MentionStats one = f.createAccumulator();
        MentionStats left = f.createAccumulator();
        MentionStats right = f.createAccumulator();
        List<ScopedMention> in =
                List.of(
                        m("1", "a", Platform.X, "de", 0.5, 1),
                        m("2", "b", Platform.BLOG, "en", -0.5, 3),
                        m("3", "a", Platform.NEWS, "de", null, 2));
        for (int i = 0; i < in.size(); i++) {
            one = f.add(in.get(i), one);
            if (i % 2 == 0) {
                left = f.add(in.get(i), left);
            } else {
                right = f.add(in.get(i), right);
            }
        }
        MentionStats merged = f.merge(left, right);
        assertThat(merged).usingRecursiveComparison().isEqualTo(one);
    }

    @Test
    void countsResharesAlsoWhenAccumulatorsMerge() {
        MentionStatistics f = new MentionStatistics(2);
        MentionStats a = f.createAccumulator();
        a = f.add(m("1", "alice", Platform.X, "de", null, 5), a);
        a = f.add(reshare("2", "x:1"), a);
        MentionStats b = f.createAccumulator();
        b = f.add(reshare("3", "x:1"), b);
        b = f.add(m("4", "bob", Platform.X, "de", null, 5), b);

        assertThat(a.reshares).isEqualTo(1);
        assertThat(f.merge(a, b).reshares).isEqualTo(2);
        assertThat(a.mentions).isEqualTo(4);
    }

    private static ScopedMention reshare(String id, String of) {
        Mention original = m(id, "carol", Platform.X, "de", null, 0).mention();
        Mention mention =
                original.toBuilder()
                        .reshareOf(of)
                        .replyTo(null)
                        .threadRoot(null)
                        .brandAccount(null)
                        .build();
        return new ScopedMention("b", "all", mention);
    }
}
