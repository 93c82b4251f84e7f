package io.echolot.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class BaselineModelTest {

    private static final long W = Duration.ofMinutes(5).toMillis();
    private static final long T0 = SyntheticCounts.T0.toEpochMilli();

    private static BaselineSettings settings(Duration warmUp) {
        return new BaselineSettings(
                warmUp,
                Duration.ofMinutes(5),
                Duration.ofDays(7),
                Duration.ofDays(2),
                5.0,
                Duration.ZERO,
                Duration.ofDays(14));
    }

    @Test
    void rateIsOneMinusHalfPowerOfWindowsPerHalfLife() {
        assertThat(BaselineModel.rate(W, Duration.ofMinutes(5))).isCloseTo(0.5, within(1e-12));
        assertThat(BaselineModel.rate(W, Duration.ofMinutes(10)))
                .isCloseTo(1 - Math.sqrt(0.5), within(1e-12));
    }

    @Test
    void firstWindowsAreRunningMeansAndNotWarm() {
        BaselineModel model = new BaselineModel(settings(Duration.ofMinutes(10)));
        BaselineState s = BaselineState.empty();
        assertThat(model.expect(s, T0, T0 + W).warm()).isFalse();
        model.update(s, T0, T0 + W, 10);
        assertThat(s.level).isEqualTo(10.0);
        // second window, same hour: level rate max(0.5, 1/2) = 0.5 → (10 + 20) / 2
        model.update(s, T0 + W, T0 + 2 * W, 20);
        assertThat(s.level * s.hourOfDay[0] * s.dayOfWeek[0]).isGreaterThan(10.0);
        assertThat(model.expect(s, T0 + 2 * W, T0 + 3 * W).warm()).isTrue();
    }

    @Test
    void missingWindowsDecayTheLevelAsZeroCounts() {
        BaselineModel model = new BaselineModel(settings(Duration.ZERO));
        BaselineState s = BaselineState.empty();
        model.update(s, T0, T0 + W, 16);
        double before = model.expect(s, T0 + W, T0 + 2 * W).mean();
        // two windows missing, half-life one window: × 0.25
        double after = model.expect(s, T0 + 3 * W, T0 + 4 * W).mean();
        assertThat(after).isCloseTo(before * 0.25, within(1e-9));
        assertThat(model.expect(s, T0 + 3 * W, T0 + 4 * W).previousObserved()).isZero();
    }

    @Test
    void constantCountsAreExpectedWithoutOverDispersion() {
        BaselineModel model = new BaselineModel(BaselineSettings.defaults());
        BaselineState s = BaselineState.empty();
        for (int i = 0; i < 3 * 288; i++) {
            model.update(s, T0 + i * W, T0 + (i + 1) * W, 20);
        }
        BaselineModel.Expectation e = model.expect(s, T0 + 864 * W, T0 + 865 * W);
        assertThat(e.warm()).isTrue();
        assertThat(e.mean()).isCloseTo(20.0, within(0.01));
        // no over-dispersion learned; what remains is the uncertainty of a mean estimated from
        // about 12 windows × 20 mentions per hour bucket
        assertThat(e.dispersion() - e.uncertainty()).isCloseTo(0.0, within(1e-12));
        assertThat(e.uncertainty()).isBetween(1e-4, 5e-3);
        // Poisson(20): 1 - P(X >= 20) ≈ 0.44; P(X >= 60) tiny
        assertThat(e.upperTail(20)).isBetween(0.5, 0.6);
        assertThat(e.upperTail(60)).isLessThan(1e-10);
    }

    @Test
    void learnsTheDailyProfile() {
        BaselineModel model = new BaselineModel(BaselineSettings.defaults());
        BaselineState s = BaselineState.empty();
        // a week of 40 from 12:00 to 24:00 UTC and 10 before, then the next day up to 15:00
        double night = 0;
        double afternoon = 0;
        for (int i = 0; i < 7 * 288 + 15 * 12; i++) {
            long start = T0 + i * W;
            if (i == 7 * 288 + 3 * 12) {
                night = model.expect(s, start, start + W).mean();
            }
            model.update(s, start, start + W, BaselineModel.hour(start) >= 12 ? 40 : 10);
        }
        long next = T0 + (7 * 288 + 15 * 12) * W;
        afternoon = model.expect(s, next, next + W).mean();
        assertThat(night).isCloseTo(10, within(1.5));
        assertThat(afternoon).isCloseTo(40, within(6.0));
        assertThat(s.hourOfDay[15] / s.hourOfDay[3]).isCloseTo(4.0, within(0.2));
    }

    @Test
    void aSpikeDoesNotPoisonItsOwnBaseline() {
        BaselineModel model = new BaselineModel(BaselineSettings.defaults());
        BaselineState s = BaselineState.empty();
        long[] counts = SyntheticCounts.poisson(2 * 288, i -> 20, 7);
        for (int i = 0; i < counts.length; i++) {
            model.update(s, T0 + i * W, T0 + (i + 1) * W, counts[i]);
        }
        long t = T0 + counts.length * W;
        BaselineModel.Expectation before = model.expect(s, t, t + W);
        for (int i = 0; i < 6; i++) {
            model.update(s, t + i * W, t + (i + 1) * W, 2000);
        }
        BaselineModel.Expectation after = model.expect(s, t + 6 * W, t + 7 * W);
        // six windows at 100× move the level by at most a few sd, not towards 2000
        assertThat(after.mean()).isLessThan(before.mean() + 6 * 5 * before.sd());
        assertThat(after.mean()).isLessThan(40);
        assertThat(after.upperTail(2000)).isLessThan(1e-10);
    }

    @Test
    void calibrationTurnsACountTailIntoTheKeysShareOfWindows() {
        double u = BaselineModel.EXCEEDANCE_LEVEL;
        // at the exceedance level: the exceedance rate
        assertThat(BaselineModel.calibrate(Math.exp(-u), 0.02, 0.5)).isCloseTo(0.02, within(1e-12));
        // above: λ (s/u)^(-1/β); s = 2u, β = 0.5 → λ / 4
        assertThat(BaselineModel.calibrate(Math.exp(-2 * u), 0.02, 0.5))
                .isCloseTo(0.005, within(1e-12));
        // below: scaled by λ / e^-u
        assertThat(BaselineModel.calibrate(0.01, 0.002, 0.5)).isCloseTo(0.02, within(1e-12));
    }

    @Test
    void aQuietKeysStoryIsSurprisingInItsHourNotInAnyWindow() {
        BaselineModel model = new BaselineModel(BaselineSettings.defaults());
        BaselineState s = BaselineState.empty();
        java.util.Random random = new java.util.Random(7);
        int days = 7;
        long t = T0;
        for (int i = 0; i < days * 288; i++, t += W) {
            // one mention every 10 windows on average
            model.update(s, t, t + W, random.nextDouble() < 0.1 ? 1 : 0);
        }
        long hourStart = Math.floorDiv(t, 3_600_000L) * 3_600_000L + 3_600_000L;
        for (; t < hourStart; t += W) {
            model.update(s, t, t + W, 0);
        }
        double minWindowTail = 1;
        BaselineModel.Sum last = null;
        for (int i = 0; i < 12; i++, t += W) {
            long observed = 3; // 36 mentions in an hour against about 1.2 expected
            BaselineModel.Expectation e = model.expect(s, t, t + W);
            minWindowTail = Math.min(minWindowTail, e.upperTail(observed));
            last = model.sum(s, t, t + W, observed, e);
            model.update(s, t, t + W, observed);
        }
        assertThat(minWindowTail).isGreaterThan(1e-6);
        assertThat(last.millis()).isEqualTo(3_600_000L);
        assertThat(last.observed()).isEqualTo(36);
        assertThat(last.expected()).isBetween(0.5, 3.0);
        assertThat(last.tail()).isLessThan(1e-10);
    }

    @Test
    void aBlocksRunningSumIsAsDispersedAsTheWindowAtFirstAndAsTheBlockWhenFull() {
        // φ_w = 0.2, φ_B = 0.03, K = 12: φ_own = 0.17 · 12 / 11, φ_shared = φ_B − φ_own / 12
        double own = 0.17 * 12 / 11;
        double shared = 0.03 - own / 12;
        assertThat(BaselineModel.partialDispersion(0.2, 0.03, 1, 12)).isCloseTo(0.2, within(1e-12));
        assertThat(BaselineModel.partialDispersion(0.2, 0.03, 4, 12))
                .isCloseTo(own / 4 + shared, within(1e-12));
        assertThat(BaselineModel.partialDispersion(0.2, 0.03, 12, 12))
                .isCloseTo(0.03, within(1e-12));
        // a block of one window is the window
        assertThat(BaselineModel.partialDispersion(0.2, 0.03, 1, 1)).isCloseTo(0.03, within(1e-12));
        // blocks noisier than their windows (a persistent error): never below zero, never above
        // the larger of the two
        assertThat(BaselineModel.partialDispersion(0.01, 0.3, 1, 72))
                .isCloseTo(0.01, within(1e-12));
        assertThat(BaselineModel.partialDispersion(0.01, 0.3, 36, 72)).isBetween(0.01, 0.3);
    }

    @Test
    void anOverDispersedKeysFirstWindowOfAnHourIsNotAnExtremeHour() {
        BaselineModel model = new BaselineModel(BaselineSettings.defaults());
        BaselineState s = BaselineState.empty();
        int windows = 7 * 288;
        long[] counts =
                SyntheticCounts.negativeBinomial(windows, SyntheticCounts.daily(200), 0.2, 11);
        for (int i = 0; i < windows; i++) {
            model.update(s, T0 + i * W, T0 + (i + 1) * W, counts[i]);
        }
        // the next window opens an hour (and six hours): three times the expected count is
        // ordinary for a key with φ 0.2 (sd about 45 % of the mean)
        long t = T0 + windows * W;
        BaselineModel.Expectation e = model.expect(s, t, t + W);
        long observed = Math.round(3 * e.mean());
        double windowTail = e.upperTail(observed);
        BaselineModel.Sum sum = model.sum(s, t, t + W, observed, e);
        assertThat(windowTail).isGreaterThan(1e-6);
        // a sum of one window is that window, whatever the spread of whole hours
        assertThat(sum.observed()).isEqualTo(observed);
        assertThat(sum.tail()).isCloseTo(windowTail, within(windowTail * 1e-6));
    }

    @Test
    void anOverDispersedKeysWholeHourWellAboveItsLevelIsExtremeInItsSum() {
        BaselineModel model = new BaselineModel(BaselineSettings.defaults());
        BaselineState s = BaselineState.empty();
        int windows = 7 * 288;
        long[] counts =
                SyntheticCounts.negativeBinomial(windows, SyntheticCounts.daily(200), 0.2, 11);
        for (int i = 0; i < windows; i++) {
            model.update(s, T0 + i * W, T0 + (i + 1) * W, counts[i]);
        }
        long t = T0 + windows * W;
        double minWindowTail = 1;
        BaselineModel.Sum last = null;
        for (int i = 0; i < 12; i++, t += W) {
            BaselineModel.Expectation e = model.expect(s, t, t + W);
            long observed = Math.round(2.5 * e.mean());
            minWindowTail = Math.min(minWindowTail, e.upperTail(observed));
            last = model.sum(s, t, t + W, observed, e);
            model.update(s, t, t + W, observed);
        }
        // no window alone is extreme, but independent windows' noise averages out over the hour
        assertThat(minWindowTail).isGreaterThan(1e-4);
        assertThat(last.millis()).isEqualTo(3_600_000L);
        assertThat(last.tail()).isLessThan(1e-10);
    }

    @Test
    void emptyNightsAreNotLearnedAsExpectingZero() {
        BaselineModel model = new BaselineModel(BaselineSettings.defaults());
        BaselineState s = BaselineState.empty();
        long t = T0;
        for (int i = 0; i < 7 * 288; i++, t += W) {
            int hour = BaselineModel.hour(t);
            // about 0.3 per window by day, nothing at all from 00:00 to 06:00
            model.update(s, t, t + W, hour < 6 ? 0 : (i % 3 == 0 ? 1 : 0));
        }
        long night = Math.floorDiv(t, 86_400_000L) * 86_400_000L + 86_400_000L + 2 * 3_600_000L;
        BaselineModel.Expectation e = model.expect(s, night, night + W);
        // a week of six empty hours is a few expected mentions' worth of evidence, not certainty
        assertThat(e.upperTail(2)).isGreaterThan(1e-4);
    }
}
