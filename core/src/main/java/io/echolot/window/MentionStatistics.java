package io.echolot.window;

import io.echolot.language.LanguageDetector;
import io.echolot.language.LanguageTags;
import io.echolot.model.Mention;
import io.echolot.model.SentimentLabel;
import io.echolot.model.TopMention;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * Incrementally aggregates the mentions of a window: volume, reshares, unique authors, reach,
 * engagement, sentiment, platform and language breakdown, and the top mentions by engagement.
 */
public class MentionStatistics
        implements AggregateFunction<ScopedMention, MentionStats, MentionStats> {

    private static final long serialVersionUID = 1L;

    /** Language bucket for mentions whose language is not known. */
    public static final String UNKNOWN_LANGUAGE = LanguageDetector.UNDETERMINED;

    /** Highest engagement first; ties by id so the result does not depend on arrival order. */
    static final Comparator<TopMention> BY_ENGAGEMENT =
            Comparator.comparingLong(TopMention::engagement)
                    .reversed()
                    .thenComparing(TopMention::id);

    private final int topN;

    public MentionStatistics(int topN) {
        if (topN < 0) {
            throw new IllegalArgumentException("top mentions must be >= 0, got " + topN);
        }
        this.topN = topN;
    }

    @Override
    public MentionStats createAccumulator() {
        return new MentionStats();
    }

    @Override
    public MentionStats add(ScopedMention scoped, MentionStats acc) {
        Mention m = scoped.mention();
        acc.mentions++;
        if (m.reshareOf() != null) {
            acc.reshares++;
        }
        acc.reach += m.author().followers();
        acc.likes += m.engagement().likes();
        acc.shares += m.engagement().shares();
        acc.comments += m.engagement().comments();
        acc.views += m.engagement().views();
        if (m.sentiment() != null) {
            acc.scored++;
            acc.sentimentSum += m.sentiment();
            switch (SentimentLabel.of(m.sentiment())) {
                case POSITIVE -> acc.positive++;
                case NEUTRAL -> acc.neutral++;
                case NEGATIVE -> acc.negative++;
            }
        }
        acc.platforms.merge(m.platform().wireName(), 1L, Long::sum);
        // each distinct key becomes a field of the aggregates index: only bounded tags get there
        String lang = LanguageTags.normalise(m.lang());
        acc.languages.merge(lang == null ? UNKNOWN_LANGUAGE : lang, 1L, Long::sum);
        UniqueAuthors.add(acc, m.author().id());
        // most mentions cannot enter the top list: skip building their summary
        if (topN > 0
                && (acc.top.size() < topN
                        || m.engagement().total() >= acc.top.get(topN - 1).engagement())) {
            offerTop(acc.top, TopMention.of(m));
        }
        return acc;
    }

    private void offerTop(List<TopMention> top, TopMention candidate) {
        if (topN == 0) {
            return;
        }
        if (top.size() == topN && BY_ENGAGEMENT.compare(candidate, top.get(topN - 1)) >= 0) {
            return;
        }
        // a re-delivered mention must not take two places
        if (top.stream().anyMatch(t -> t.id().equals(candidate.id()))) {
            return;
        }
        top.add(candidate);
        top.sort(BY_ENGAGEMENT);
        if (top.size() > topN) {
            top.remove(top.size() - 1);
        }
    }

    @Override
    public MentionStats getResult(MentionStats acc) {
        return acc;
    }

    @Override
    public MentionStats merge(MentionStats a, MentionStats b) {
        a.mentions += b.mentions;
        a.reshares += b.reshares;
        a.reach += b.reach;
        a.likes += b.likes;
        a.shares += b.shares;
        a.comments += b.comments;
        a.views += b.views;
        a.scored += b.scored;
        a.sentimentSum += b.sentimentSum;
        a.positive += b.positive;
        a.neutral += b.neutral;
        a.negative += b.negative;
        mergeCounts(a.platforms, b.platforms);
        mergeCounts(a.languages, b.languages);
        UniqueAuthors.merge(a, b);
        b.top.forEach(t -> offerTop(a.top, t));
        return a;
    }

    private static void mergeCounts(Map<String, Long> into, Map<String, Long> from) {
        from.forEach((k, v) -> into.merge(k, v, Long::sum));
    }
}
