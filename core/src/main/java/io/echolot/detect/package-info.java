/**
 * Viral-spike detection on the window aggregates of a (brand, topic).
 *
 * <p>Entry point: {@link io.echolot.detect.SpikeDetection#apply}, which takes the window aggregates
 * (with their event timestamps) and {@link io.echolot.detect.SpikeSettings} and returns the
 * per-window {@link io.echolot.detect.SpikeScore}s and the opened {@link
 * io.echolot.detect.SpikeAlert}s.
 *
 * <ol>
 *   <li><b>Baseline</b> ({@link io.echolot.detect.SpikeBaseline}, math in {@link
 *       io.echolot.detect.BaselineModel}): per key, expected count = level × hour-of-day factor ×
 *       day-of-week factor; the spread is negative binomial with the over-dispersion estimated by
 *       moments, so low-volume keys are judged as Poisson; updates are winsorized at 5 sd so that a
 *       spike does not raise its own baseline; no scores before the warm-up (one day by default);
 *       one value state of fixed size and one timer per key, dropped after 14 idle days.
 *   <li><b>Confirmation</b> ({@link io.echolot.detect.SpikePattern}): CEP in event time, per key,
 *       {@code skipPastLastEvent}: one extreme window ({@link
 *       io.echolot.detect.ExtremeWindowPattern}), a run of rising surprising windows ({@link
 *       io.echolot.detect.RisingWindowsPattern}), or strongly surprising windows repeated within
 *       hours ({@link io.echolot.detect.RepeatedWindowsPattern}). The alert carries the matched
 *       windows' evidence: top mentions, platforms, velocity and reshare share.
 *   <li><b>One incident, one alert</b> ({@link io.echolot.detect.IncidentCooldown}): matches less
 *       than the cooldown apart are one incident; only the first opens an alert, whose id is
 *       derived from brand, topic, type and the first window of the match.
 * </ol>
 *
 * <p>{@code io.echolot.tools.nab} (in the tools) scores detections the way the Numenta Anomaly
 * Benchmark does; {@code echolot evaluate-spikes} runs this package on CSV series and prints the
 * scores.
 */
package io.echolot.detect;
