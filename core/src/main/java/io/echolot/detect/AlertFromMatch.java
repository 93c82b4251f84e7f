package io.echolot.detect;

import io.echolot.model.TopMention;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Builds the {@link AlertStatus#OPEN} alert of a match: the incident starts with the match's first
 * window and is detected at its last window; the peak count and surprise are the match's largest.
 * The evidence covers every matched window: platforms summed, the most engaging mentions (by
 * engagement, each once), the share of reshares, and the largest growth from one window to the
 * next.
 */
public final class AlertFromMatch extends PatternProcessFunction<SpikeScore, SpikeAlert> {

    private static final long serialVersionUID = 1L;
    private final String trigger;

    public AlertFromMatch(String trigger) {
        this.trigger = trigger;
    }

    @Override
    public void processMatch(
            Map<String, List<SpikeScore>> match, Context ctx, Collector<SpikeAlert> out) {
        List<SpikeScore> scores = new ArrayList<>();
        match.values().forEach(scores::addAll);
        if (scores.isEmpty()) {
            return;
        }
        scores.sort(Comparator.comparing(SpikeScore::windowStart));
        SpikeScore first = scores.get(0);
        SpikeScore last = scores.get(scores.size() - 1);
        SpikeScore peak = scores.stream().max(Comparator.comparingLong(SpikeScore::observed)).get();
        double minTail = scores.stream().mapToDouble(SpikeScore::tailProbability).min().orElse(1);
        double minKeyTail =
                scores.stream().mapToDouble(SpikeScore::keyTailProbability).min().orElse(1);
        out.collect(
                SpikeAlert.builder()
                        .alertId(
                                SpikeAlert.idOf(
                                        first.brand(),
                                        first.topic(),
                                        SpikeAlert.SPIKE,
                                        first.windowStart()))
                        .brand(first.brand())
                        .topic(first.topic())
                        .type(SpikeAlert.SPIKE)
                        .trigger(trigger)
                        .status(AlertStatus.OPEN)
                        .incidentStart(first.windowStart())
                        .windowStart(last.windowStart())
                        .windowEnd(last.windowEnd())
                        .observed(peak.observed())
                        .expected(peak.expected())
                        .surprise(SpikeScore.surpriseOf(minKeyTail))
                        .tailProbability(minTail)
                        .windows(scores.size())
                        .velocity(scores.stream().mapToLong(SpikeScore::velocity).max().orElse(0))
                        .reshareShare(reshareShare(scores))
                        .platforms(platforms(scores))
                        .topMentions(topMentions(scores))
                        .build());
    }

    static double reshareShare(List<SpikeScore> scores) {
        long mentions = scores.stream().mapToLong(SpikeScore::observed).sum();
        long reshares = scores.stream().mapToLong(SpikeScore::reshares).sum();
        return mentions == 0 ? 0.0 : (double) reshares / mentions;
    }

    static Map<String, Long> platforms(List<SpikeScore> scores) {
        Map<String, Long> sum = new TreeMap<>();
        for (SpikeScore s : scores) {
            s.platforms().forEach((k, v) -> sum.merge(k, v, Long::sum));
        }
        return sum;
    }

    static List<TopMention> topMentions(List<SpikeScore> scores) {
        Map<String, TopMention> byId = new LinkedHashMap<>();
        scores.stream()
                .flatMap(s -> s.topMentions().stream())
                .sorted(
                        Comparator.comparingLong(TopMention::engagement)
                                .reversed()
                                .thenComparing(TopMention::id))
                .forEach(t -> byId.putIfAbsent(t.id(), t));
        return byId.values().stream().limit(SpikeAlert.MAX_TOP_MENTIONS).toList();
    }
}
