package io.echolot.tools.nab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NabScorerTest {

    private static final long STEP = 300_000L;
    // σ(-1) = 2/(1+e^-5) - 1, σ(-0.2) = 2/(1+e^-1) - 1, σ(0.5) = 2/(1+e^2.5) - 1
    private static final double S_MINUS_1 = 0.9866142981514305;
    private static final double S_MINUS_02 = 0.46211715726000974;
    private static final double S_HALF = -0.8482836399575129;

    /** 20 rows (probation 3), one window over rows 10..14 (W = 5). */
    private static long[] times() {
        long[] t = new long[20];
        for (int i = 0; i < t.length; i++) {
            t[i] = i * STEP;
        }
        return t;
    }

    private static final List<NabWindow> WINDOW = List.of(new NabWindow(10 * STEP, 14 * STEP));

    private static boolean[] at(int... rows) {
        boolean[] d = new boolean[20];
        for (int r : rows) {
            d[r] = true;
        }
        return d;
    }

    @Test
    void probationIsFifteenPercentAtMost750() {
        assertThat(NabScorer.probation(20)).isEqualTo(3);
        assertThat(NabScorer.probation(15_902)).isEqualTo(750);
    }

    @Test
    void sigmoidMatchesHandComputedValues() {
        assertThat(NabScorer.sigmoid(-1)).isCloseTo(S_MINUS_1, within(1e-15));
        assertThat(NabScorer.sigmoid(-0.2)).isCloseTo(S_MINUS_02, within(1e-15));
        assertThat(NabScorer.sigmoid(0.5)).isCloseTo(S_HALF, within(1e-15));
    }

    @Test
    void neverFiringScoresZeroAndFiringAtTheWindowStartScoresHundred() {
        NabScore none = NabScorer.score(times(), at(), WINDOW, NabProfile.STANDARD);
        assertThat(none.raw()).isEqualTo(-1.0);
        assertThat(none.normalised()).isEqualTo(0.0);
        NabScore perfect = NabScorer.score(times(), at(10), WINDOW, NabProfile.STANDARD);
        assertThat(perfect.raw()).isCloseTo(1.0, within(1e-12));
        assertThat(perfect.normalised()).isCloseTo(100.0, within(1e-9));
        assertThat(perfect.windowsHit()).isEqualTo(1);
    }

    @Test
    void onlyTheEarliestDetectionInAWindowCounts() {
        NabScore late = NabScorer.score(times(), at(14), WINDOW, NabProfile.STANDARD);
        assertThat(late.raw()).isCloseTo(S_MINUS_02 / S_MINUS_1, within(1e-12));
        NabScore both = NabScorer.score(times(), at(14, 12, 13), WINDOW, NabProfile.STANDARD);
        // row 12: σ(-(14-12+1)/5) = σ(-0.6)
        assertThat(both.raw()).isCloseTo(NabScorer.sigmoid(-0.6) / S_MINUS_1, within(1e-12));
        assertThat(both.detectionsOutside()).isZero();
    }

    @Test
    void falsePositivesCostFullWeightBeforeAndLessAfterAWindow() {
        // row 5 before the window: -0.11; row 16 after: 0.11 σ(|14-16| / (5-1)); row 1 in probation
        NabScore s = NabScorer.score(times(), at(1, 5, 10, 16), WINDOW, NabProfile.STANDARD);
        assertThat(s.raw()).isCloseTo(1.0 - 0.11 + 0.11 * S_HALF, within(1e-12));
        assertThat(s.detectionsOutside()).isEqualTo(2);
        NabScore lowFp =
                NabScorer.score(times(), at(1, 5, 10, 16), WINDOW, NabProfile.REWARD_LOW_FP);
        assertThat(lowFp.raw()).isCloseTo(1.0 - 0.22 + 0.22 * S_HALF, within(1e-12));
    }

    @Test
    void missedWindowsCostTheFnWeightAndTotalsAddUp() {
        NabScore fn = NabScorer.score(times(), at(5), WINDOW, NabProfile.REWARD_LOW_FN);
        assertThat(fn.raw()).isCloseTo(-2.0 - 0.11, within(1e-12));
        // normalised: 100 (S + 2) / (1 + 2)
        assertThat(fn.normalised()).isCloseTo(100 * (-0.11) / 3, within(1e-9));
        NabScore a = NabScorer.score(times(), at(10), WINDOW, NabProfile.STANDARD);
        NabScore b = NabScorer.score(times(), at(), WINDOW, NabProfile.STANDARD);
        NabScore total = NabScore.sum(NabProfile.STANDARD, List.of(a, b));
        assertThat(total.windows()).isEqualTo(2);
        assertThat(total.normalised()).isCloseTo(50.0, within(1e-9));
    }

    @Test
    void readsNabTimestampsAsUtc() {
        assertThat(NabFiles.parseTimestamp("2015-03-03 04:37:53.000000"))
                .isEqualTo(java.time.Instant.parse("2015-03-03T04:37:53Z").toEpochMilli());
        assertThat(NabFiles.parseTimestamp("2015-02-26 21:42:53"))
                .isEqualTo(java.time.Instant.parse("2015-02-26T21:42:53Z").toEpochMilli());
    }
}
