package io.echolot.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CountTailTest {

    @Test
    void logGammaOfIntegersIsLogFactorial() {
        assertThat(CountTail.logGamma(1)).isCloseTo(0.0, within(1e-13));
        assertThat(CountTail.logGamma(5)).isCloseTo(Math.log(24), within(1e-12));
        assertThat(CountTail.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-12));
    }

    @Test
    void poissonTailMatchesHandComputedSums() {
        // P(X >= 1 | 2) = 1 - e^-2
        assertThat(CountTail.poissonUpper(1, 2.0)).isCloseTo(1 - Math.exp(-2), within(1e-12));
        // P(X >= 3 | 1) = 1 - e^-1 (1 + 1 + 1/2)
        assertThat(CountTail.poissonUpper(3, 1.0)).isCloseTo(1 - Math.exp(-1) * 2.5, within(1e-12));
        // far tail, continued-fraction branch: P(X >= 40 | 10), summed term by term
        double term = Math.exp(-10);
        double below = 0;
        for (int k = 0; k < 40; k++) {
            below += term;
            term *= 10.0 / (k + 1);
        }
        double above = 0;
        term = Math.exp(-10 + 40 * Math.log(10) - CountTail.logGamma(41));
        for (int k = 40; k < 200; k++) {
            above += term;
            term *= 10.0 / (k + 1);
        }
        assertThat(CountTail.poissonUpper(40, 10.0)).isCloseTo(above, within(above * 1e-9));
        assertThat(below + above).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void negativeBinomialWithDispersionOneIsGeometric() {
        // r = 1: P(X >= x) = (mean / (1 + mean))^x
        assertThat(CountTail.upper(2, 3.0, 1.0)).isCloseTo(0.5625, within(1e-12));
        assertThat(CountTail.upper(10, 3.0, 1.0)).isCloseTo(Math.pow(0.75, 10), within(1e-12));
    }

    @Test
    void tinyDispersionIsPoissonAndLargerDispersionHasHeavierTail() {
        assertThat(CountTail.upper(30, 10, 0.0)).isEqualTo(CountTail.poissonUpper(30, 10));
        assertThat(CountTail.upper(30, 10, 1e-4))
                .isCloseTo(CountTail.poissonUpper(30, 10), within(1e-7));
        assertThat(CountTail.upper(30, 10, 0.5)).isGreaterThan(CountTail.upper(30, 10, 0.1));
        assertThat(CountTail.upper(0, 10, 0.5)).isEqualTo(1.0);
    }
}
