package io.echolot.tools.sentiment;

import static io.echolot.model.SentimentLabel.NEGATIVE;
import static io.echolot.model.SentimentLabel.NEUTRAL;
import static io.echolot.model.SentimentLabel.POSITIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.echolot.model.SentimentLabel;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    private static void add(Evaluation e, SentimentLabel gold, SentimentLabel predicted, int n) {
        for (int i = 0; i < n; i++) {
            e.add(gold, predicted);
        }
    }

    /**
     * Gold \ predicted: negative 2 1 1, neutral 0 3 1, positive 1 0 1 (10 texts, 6 correct).
     * Recall: 2/4, 3/4, 1/2. Precision: 2/3, 3/4, 1/3. F1: 4/7, 3/4, 2/5.
     */
    private static Evaluation tiny() {
        Evaluation e = new Evaluation();
        add(e, NEGATIVE, NEGATIVE, 2);
        add(e, NEGATIVE, NEUTRAL, 1);
        add(e, NEGATIVE, POSITIVE, 1);
        add(e, NEUTRAL, NEUTRAL, 3);
        add(e, NEUTRAL, POSITIVE, 1);
        add(e, POSITIVE, NEGATIVE, 1);
        add(e, POSITIVE, POSITIVE, 1);
        return e;
    }

    @Test
    void computesTheFiguresOfATinyConfusionMatrix() {
        Evaluation e = tiny();
        assertThat(e.total()).isEqualTo(10);
        assertThat(e.count(NEGATIVE, POSITIVE)).isEqualTo(1);
        assertThat(e.count(POSITIVE, NEGATIVE)).isEqualTo(1);
        assertThat(e.count(NEUTRAL, NEGATIVE)).isZero();
        assertThat(e.accuracy()).isCloseTo(0.6, within(1e-12));
        assertThat(e.recall(NEGATIVE)).isCloseTo(0.5, within(1e-12));
        assertThat(e.recall(NEUTRAL)).isCloseTo(0.75, within(1e-12));
        assertThat(e.recall(POSITIVE)).isCloseTo(0.5, within(1e-12));
        assertThat(e.precision(NEGATIVE)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(e.precision(NEUTRAL)).isCloseTo(0.75, within(1e-12));
        assertThat(e.precision(POSITIVE)).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(e.f1(NEGATIVE)).isCloseTo(4.0 / 7, within(1e-12));
        assertThat(e.f1(NEUTRAL)).isCloseTo(0.75, within(1e-12));
        assertThat(e.f1(POSITIVE)).isCloseTo(0.4, within(1e-12));
        assertThat(e.macroRecall()).isCloseTo((0.5 + 0.75 + 0.5) / 3, within(1e-12));
        assertThat(e.macroF1()).isCloseTo((4.0 / 7 + 0.75 + 0.4) / 3, within(1e-12));
    }

    @Test
    void aClassNeverPredictedHasZeroPrecisionAndF1() {
        Evaluation e = new Evaluation();
        add(e, NEUTRAL, NEUTRAL, 3);
        add(e, POSITIVE, NEUTRAL, 1);
        assertThat(e.precision(POSITIVE)).isZero();
        assertThat(e.f1(POSITIVE)).isZero();
        assertThat(e.f1(NEGATIVE)).isZero();
        assertThat(e.accuracy()).isCloseTo(0.75, within(1e-12));
        assertThat(e.macroRecall()).isCloseTo(1.0 / 3, within(1e-12));
        // neutral: precision 3/4, recall 1 -> F1 6/7
        assertThat(e.macroF1()).isCloseTo((6.0 / 7) / 3, within(1e-12));
    }

    @Test
    void anEmptyEvaluationIsAllZero() {
        Evaluation e = new Evaluation();
        assertThat(e.accuracy()).isZero();
        assertThat(e.macroF1()).isZero();
        assertThat(e.macroRecall()).isZero();
    }

    @Test
    void reportShowsTheMatrixRowsByGold() {
        String report = tiny().report();
        assertThat(report).contains("accuracy 0.600").contains("macro-recall 0.583");
        assertThat(report).containsPattern("negative\\s+2\\s+1\\s+1");
        assertThat(report).containsPattern("neutral\\s+0\\s+3\\s+1");
        assertThat(report).containsPattern("positive\\s+1\\s+0\\s+1");
    }
}
