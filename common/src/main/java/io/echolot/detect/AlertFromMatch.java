package io.echolot.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Builds the {@link AlertStatus#OPEN} alert of a match: the incident starts with the match's first
 * window and is detected at its last window; the peak count and surprise are the match's largest.
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
                new SpikeAlert(
                        SpikeAlert.idOf(
                                first.brand(),
                                first.topic(),
                                SpikeAlert.SPIKE,
                                first.windowStart()),
                        first.brand(),
                        first.topic(),
                        SpikeAlert.SPIKE,
                        trigger,
                        AlertStatus.OPEN,
                        first.windowStart(),
                        last.windowStart(),
                        last.windowEnd(),
                        peak.observed(),
                        peak.expected(),
                        SpikeScore.surpriseOf(minKeyTail),
                        minTail,
                        scores.size()));
    }
}
