package io.echolot.jobs;

import io.echolot.ingest.FanOutLimits;
import io.echolot.rules.BrandRules;
import io.echolot.sentiment.SentimentScorer;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;

/**
 * The knobs of the mention analytics workflow that do not concern its sources and sinks. {@code
 * rules} may be null: then brands and topics come from the events only.
 *
 * <p>{@code clock} is what "now" means to the parser ({@code maxEventFuture}) and to the age limit
 * ({@code maxEventAge}): {@code Clock.systemUTC()} in production, a fixed clock in tests with fixed
 * dates. It must be serializable (the JDK's system and fixed clocks are).
 *
 * <p>{@code maxBrands} and {@code maxTopics} bound the fan-out of one mention into the windows;
 * they count the event's own brands and topics (checked by the parser) and, after enrichment, those
 * the rules added too ({@link io.echolot.enrich.EnforceFanOutLimits}).
 *
 * <p>{@code sentiment} scores mentions that arrive without a sentiment: the lexicon or the learned
 * model ({@code --sentiment}).
 */
public record PipelineSettings(
        Duration windowSize,
        Duration allowedLateness,
        Duration outOfOrderness,
        Duration idleness,
        Duration maxEventFuture,
        Duration maxEventAge,
        int maxEventBytes,
        int maxBrands,
        int maxTopics,
        int topMentions,
        Duration dedupWindow,
        DetectionSettings detection,
        BrandRules rules,
        Clock clock,
        SentimentScorer sentiment)
        implements Serializable {

    /** The brand and topic limits of one mention. */
    public FanOutLimits fanOutLimits() {
        return new FanOutLimits(maxBrands, maxTopics);
    }
}
