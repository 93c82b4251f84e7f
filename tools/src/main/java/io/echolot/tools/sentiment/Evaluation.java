package io.echolot.tools.sentiment;

import io.echolot.model.SentimentLabel;
import java.util.Locale;

/**
 * A confusion matrix over the three sentiment labels and the usual figures: accuracy, per-class
 * precision, recall and F1, macro-F1 and macro-recall (the SemEval-2017 Task 4A measure). A class
 * that is never predicted has precision 0 (and F1 0), as in scikit-learn.
 */
public final class Evaluation {

    private static final SentimentLabel[] LABELS = SentimentLabel.values();

    /** counts[gold][predicted], indexed by {@link SentimentLabel#ordinal()}. */
    private final long[][] counts = new long[LABELS.length][LABELS.length];

    private long total;

    public void add(SentimentLabel gold, SentimentLabel predicted) {
        counts[gold.ordinal()][predicted.ordinal()]++;
        total++;
    }

    public long count(SentimentLabel gold, SentimentLabel predicted) {
        return counts[gold.ordinal()][predicted.ordinal()];
    }

    public long total() {
        return total;
    }

    public double accuracy() {
        if (total == 0) {
            return 0;
        }
        long correct = 0;
        for (int k = 0; k < LABELS.length; k++) {
            correct += counts[k][k];
        }
        return (double) correct / total;
    }

    public double precision(SentimentLabel label) {
        int k = label.ordinal();
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[k];
        }
        return predicted == 0 ? 0 : (double) counts[k][k] / predicted;
    }

    public double recall(SentimentLabel label) {
        int k = label.ordinal();
        long gold = 0;
        for (long c : counts[k]) {
            gold += c;
        }
        return gold == 0 ? 0 : (double) counts[k][k] / gold;
    }

    public double f1(SentimentLabel label) {
        double p = precision(label);
        double r = recall(label);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double macroF1() {
        double sum = 0;
        for (SentimentLabel l : LABELS) {
            sum += f1(l);
        }
        return sum / LABELS.length;
    }

    public double macroRecall() {
        double sum = 0;
        for (SentimentLabel l : LABELS) {
            sum += recall(l);
        }
        return sum / LABELS.length;
    }

    /** The figures and the confusion matrix (rows = gold, columns = predicted) as text. */
    public String report() {
        StringBuilder b = new StringBuilder();
        b.append(
                String.format(
                        Locale.ROOT,
                        "texts %d%naccuracy %.3f%nmacro-F1 %.3f%nmacro-recall %.3f%n",
                        total,
                        accuracy(),
                        macroF1(),
                        macroRecall()));
        for (SentimentLabel l : LABELS) {
            b.append(
                    String.format(
                            Locale.ROOT,
                            "%-8s precision %.3f recall %.3f F1 %.3f%n",
                            l.wireName(),
                            precision(l),
                            recall(l),
                            f1(l)));
        }
        b.append(String.format(Locale.ROOT, "%-15s", "gold \\ pred"));
        for (SentimentLabel l : LABELS) {
            b.append(String.format(Locale.ROOT, "%10s", l.wireName()));
        }
        b.append(System.lineSeparator());
        for (SentimentLabel g : LABELS) {
            b.append(String.format(Locale.ROOT, "%-15s", g.wireName()));
            for (SentimentLabel p : LABELS) {
                b.append(String.format(Locale.ROOT, "%10d", count(g, p)));
            }
            b.append(System.lineSeparator());
        }
        return b.toString();
    }
}
