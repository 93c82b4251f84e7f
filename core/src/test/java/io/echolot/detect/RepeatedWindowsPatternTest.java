package io.echolot.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The repeated pattern's windows: surprising alone or through their sums, one wave per block. */
class RepeatedWindowsPatternTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long SIX_HOURS = Duration.ofHours(6).toMillis();

    /** A quiet window (2 mentions, 0.2 expected) whose coarse running sum has the given figures. */
    private static SpikeScore quiet(int minute, long sumMillis, long sumObserved, double sumTail) {
        Instant start = T0.plusSeconds(60L * minute);
        return new SpikeScore(
                "acme",
                "all",
                start,
                start.plusSeconds(300),
                2,
                0.2,
                0.1,
                0.02,
                0.02,
                SpikeScore.surpriseOf(0.02),
                1,
                true,
                0,
                Map.of(),
                List.of(),
                sumMillis,
                sumObserved,
                1.2,
                sumTail);
    }

    @Test
    void aQuietWindowCountsThroughItsHourlySumAgainstTheMentionFloorOfTheSum() {
        SurprisingWindow condition =
                new SurprisingWindow(
                        SpikeSettings.REPEATED_TAIL, SpikeSettings.MIN_COUNT, 2.0, true);

        assertThat(condition.filter(quiet(0, HOUR, 12, 1e-7))).isTrue();
        assertThat(condition.filter(quiet(0, HOUR, 12, 1e-3))).isFalse();
        assertThat(condition.filter(quiet(0, HOUR, 9, 1e-7))).isFalse();
    }

    @Test
    void onlyAKeyWhoseWindowsCannotReachTheFloorsIsJudgedByItsSums() {
        RepeatedWindowsPattern.AnotherWave wave =
                new RepeatedWindowsPattern.AnotherWave(
                        SpikeSettings.REPEATED_TAIL, SpikeSettings.MIN_COUNT, 2.0);

        assertThat(wave.quiet(quiet(0, HOUR, 12, 1e-7))).isTrue(); // 0.2 expected per window
        SpikeScore busy = quiet(0, HOUR, 12, 1e-7);
        busy =
                new SpikeScore(
                        busy.brand(),
                        busy.topic(),
                        busy.windowStart(),
                        busy.windowEnd(),
                        8,
                        5.0,
                        0.1,
                        0.3,
                        0.3,
                        0.7,
                        0,
                        true,
                        0,
                        busy.platforms(),
                        busy.topMentions(),
                        HOUR,
                        90,
                        60.0,
                        1e-7);
        assertThat(wave.quiet(busy)).isFalse();
    }

    @Test
    void windowsOfOneSurprisingHourAreOneWaveAndOtherHoursAnother() {
        SpikeScore first = quiet(10, HOUR, 12, 1e-7);

        assertThat(RepeatedWindowsPattern.AnotherWave.sameBlock(first, quiet(45, HOUR, 14, 1e-8)))
                .isTrue();
        assertThat(RepeatedWindowsPattern.AnotherWave.sameBlock(first, quiet(65, HOUR, 12, 1e-7)))
                .isFalse();
        // judged at the resolution that made the later window surprising: the same six hours
        assertThat(
                        RepeatedWindowsPattern.AnotherWave.sameBlock(
                                first, quiet(115, SIX_HOURS, 30, 1e-7)))
                .isTrue();
    }
}
