package io.echolot.sentiment;

import io.echolot.model.SentimentLabel;
import io.echolot.sentiment.LexiconSentimentScorer.Rules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The learned sentiment scorer: a per-language logistic regression (German, English) over word and
 * character n-grams and the lexicon scorer's verdict, trained by {@code echolot-cli
 * train-sentiment} on permissively licensed corpora (see {@code echolot/sentiment/model/MODEL.md}).
 *
 * <p>The score is P(positive) − P(negative), pushed just past the neutral band when positive or
 * negative is the most probable class and kept inside it when neutral is, so the label is always
 * the model's most probable class. A text of undecided language gets the mean of both languages'
 * probabilities. The weights are read once per JVM, on first use; the scorer object itself holds
 * nothing, so it is cheap to serialize and thread-safe.
 */
public final class ModelSentimentScorer implements SentimentScorer {

    private static final long serialVersionUID = 1L;

    /** The committed weights, on the class path. */
    public static final String RESOURCE = "/echolot/sentiment/model/sentiment-model.bin";

    private static final double EDGE = SentimentLabel.NEUTRAL_BAND;

    private final transient SentimentModel explicit;

    /** The scorer with the committed weights. */
    public ModelSentimentScorer() {
        this.explicit = null;
    }

    /** A scorer with other weights (training and tests; not serializable with them). */
    public ModelSentimentScorer(SentimentModel model) {
        this.explicit = model;
    }

    /** Reads the committed weights once per JVM (a TaskManager loads them once for all slots). */
    private static final class Holder {
        static final SentimentModel MODEL = load();

        private static SentimentModel load() {
            try (InputStream in = ModelSentimentScorer.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(
                            "sentiment model not on the class path: " + RESOURCE);
                }
                return SentimentModel.read(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the sentiment model " + RESOURCE, e);
            }
        }
    }

    private static final ThreadLocal<SentimentFeatures> FEATURES = new ThreadLocal<>();

    private SentimentModel model() {
        return explicit != null ? explicit : Holder.MODEL;
    }

    @Override
    public Sentiment score(String text, String lang) {
        SentimentModel m = model();
        SentimentFeatures f = FEATURES.get();
        if (f == null || !f.fits(m.bits, m.groups)) {
            f = new SentimentFeatures(m.bits, m.groups);
            FEATURES.set(f);
        }
        if (!f.extract(text, lang)) {
            return Sentiment.NEUTRAL;
        }
        double[] p = new double[SentimentModel.CLASSES];
        SentimentModel.Weights de = m.weights("de");
        SentimentModel.Weights en = m.weights("en");
        if (f.rules == Rules.GERMAN && de != null) {
            de.addProbabilities(f, p, 1);
        } else if (f.rules == Rules.ENGLISH && en != null) {
            en.addProbabilities(f, p, 1);
        } else if (de != null && en != null) {
            de.addProbabilities(f, p, 0.5);
            en.addProbabilities(f, p, 0.5);
        } else {
            (de != null ? de : en).addProbabilities(f, p, 1);
        }
        return of(p);
    }

    /** The sentiment of class probabilities (negative, neutral, positive). */
    static Sentiment of(double[] p) {
        double neg = p[0];
        double neu = p[1];
        double pos = p[2];
        double s = pos - neg;
        if (pos > neu && pos >= neg) {
            s = Math.max(EDGE, s);
        } else if (neg > neu && neg > pos) {
            s = Math.min(-EDGE, s);
        } else {
            s = Math.max(-EDGE * 0.98, Math.min(EDGE * 0.98, s));
        }
        return Sentiment.of(Math.max(-1.0, Math.min(1.0, s)));
    }

    @Override
    public String toString() {
        return "ModelSentimentScorer";
    }
}
