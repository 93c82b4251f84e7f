package io.echolot.sentiment;

import io.echolot.model.SentimentLabel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Trains one language's weights of a {@link SentimentModel}: multinomial logistic regression with
 * AdaGrad, L2 on the weights an example touches, and class weights that make every class count as
 * much as the others (the product reports macro figures, and the corpora are unbalanced), fully or
 * partly, so that the corpus's own class prior may still count. Deterministic for a given seed and
 * input order.
 */
public final class SentimentTrainer {

    /** One labelled training text. */
    public record Example(SentimentLabel label, String text) {}

    /**
     * The hyper-parameters.
     *
     * @param bits the hash size (2^bits buckets per class)
     * @param epochs passes over the data
     * @param learningRate AdaGrad's base rate
     * @param l2 the L2 penalty per update of a touched weight
     * @param seed the seed of the shuffle
     * @param bigrams whether word bigrams are features
     * @param charNgrams whether character 3- to 5-grams are features
     * @param vader whether VADER lexicon sums, caps and elongation are dense features
     * @param classBalance how far class weights even out the classes: 1 makes every class count
     *     alike, 0 keeps the corpus's own class shares (its prior), in between a compromise
     * @param dropout the share of hashed features left out of each training step (the rest count
     *     the more), so the model leans on the lexicon's dense features rather than on words of the
     *     training corpus's own domain; 0 for none
     */
    public record Settings(
            int bits,
            int epochs,
            double learningRate,
            double l2,
            long seed,
            boolean bigrams,
            boolean charNgrams,
            boolean vader,
            double classBalance,
            double dropout) {
        public Settings {
            if (bits < 8
                    || bits > 24
                    || epochs < 1
                    || !(learningRate > 0)
                    || l2 < 0
                    || !(classBalance >= 0 && classBalance <= 1)
                    || !(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("bad training settings " + this);
            }
        }
    }

    private record Row(
            int label, int[] indices, int split, float value, float charValue, float[] dense) {}

    private SentimentTrainer() {}

    /** Trains a model with one weight set per language from its examples, all with one setting. */
    public static SentimentModel train(
            java.util.Map<String, List<Example>> examplesByLanguage, Settings settings) {
        java.util.Map<String, Settings> each = new java.util.TreeMap<>();
        examplesByLanguage.keySet().forEach(lang -> each.put(lang, settings));
        return train(examplesByLanguage, each);
    }

    /**
     * Trains a model with one weight set per language from its examples and its own settings. The
     * languages must agree on the hash size, bigrams and character n-grams (a text is hashed once
     * for all of them); the rest may differ, since what suits one corpus need not suit the other.
     */
    public static SentimentModel train(
            java.util.Map<String, List<Example>> examplesByLanguage,
            java.util.Map<String, Settings> settingsByLanguage) {
        java.util.Map<String, SentimentModel.Weights> weights = new java.util.TreeMap<>();
        Integer bits = null;
        for (java.util.Map.Entry<String, List<Example>> e : examplesByLanguage.entrySet()) {
            Settings s = settingsByLanguage.get(e.getKey());
            if (s == null) {
                throw new IllegalArgumentException("no training settings for " + e.getKey());
            }
            if (bits != null && s.bits() != bits) {
                throw new IllegalArgumentException(
                        "the languages of a sentiment model must have one hash size");
            }
            bits = s.bits();
            weights.put(e.getKey(), train(e.getValue(), e.getKey(), s));
        }
        if (bits == null) {
            throw new IllegalArgumentException("no language to train");
        }
        return new SentimentModel(bits, weights);
    }

    private static int groups(Settings s) {
        return (s.bigrams() ? SentimentFeatures.BIGRAMS : 0)
                | (s.charNgrams() ? SentimentFeatures.CHAR_NGRAMS : 0)
                | (s.vader() ? SentimentFeatures.VADER : 0);
    }

    static SentimentModel.Weights train(List<Example> examples, String lang, Settings s) {
        final int k = SentimentModel.CLASSES;
        SentimentFeatures f = new SentimentFeatures(s.bits(), groups(s));
        List<Row> rows = new ArrayList<>(examples.size());
        long[] perClass = new long[k];
        for (Example e : examples) {
            if (f.extract(e.text(), lang)) {
                rows.add(
                        new Row(
                                e.label().ordinal(),
                                Arrays.copyOf(f.indices, f.size),
                                f.split,
                                f.value,
                                f.charValue,
                                f.dense.clone()));
                perClass[e.label().ordinal()]++;
            }
        }
        double[] classWeight = new double[k];
        for (int c = 0; c < k; c++) {
            classWeight[c] =
                    perClass[c] == 0
                            ? 0
                            : Math.pow(rows.size() / (double) (k * perClass[c]), s.classBalance());
        }
        float[] w = new float[(1 << s.bits()) * k];
        float[] g = new float[w.length];
        int denseCount = SentimentFeatures.denseCount(groups(s));
        int denseN = denseCount * k;
        float[] dw = new float[denseN];
        float[] dg = new float[denseN];
        Random random = new Random(s.seed());
        double[] z = new double[k];
        double lr = s.learningRate();
        // A separate stream, so that without dropout the shuffle is what it always was.
        Random drop = new Random(s.seed() + 1);
        float boost = (float) (1 / (1 - s.dropout()));
        boolean[] dropped = new boolean[16];
        for (int epoch = 0; epoch < s.epochs(); epoch++) {
            java.util.Collections.shuffle(rows, random);
            for (Row r : rows) {
                Arrays.fill(z, 0);
                if (dropped.length < r.indices.length) {
                    dropped = new boolean[r.indices.length * 2];
                }
                for (int j = 0; j < r.indices.length; j++) {
                    dropped[j] = s.dropout() > 0 && drop.nextDouble() < s.dropout();
                }
                for (int j = 0; j < r.indices.length; j++) {
                    if (dropped[j]) {
                        continue;
                    }
                    int i = r.indices[j];
                    float v =
                            (j < r.split ? r.value : r.charValue) * (s.dropout() > 0 ? boost : 1f);
                    for (int c = 0; c < k; c++) {
                        z[c] += w[i * k + c] * v;
                    }
                }
                for (int d = 0; d < denseCount; d++) {
                    for (int c = 0; c < k; c++) {
                        z[c] += dw[d * k + c] * r.dense[d];
                    }
                }
                softmax(z);
                for (int c = 0; c < k; c++) {
                    double grad = (z[c] - (c == r.label ? 1 : 0)) * classWeight[r.label];
                    for (int j = 0; j < r.indices.length; j++) {
                        if (dropped[j]) {
                            continue;
                        }
                        int at = r.indices[j] * k + c;
                        float v =
                                (j < r.split ? r.value : r.charValue)
                                        * (s.dropout() > 0 ? boost : 1f);
                        double gi = grad * v + s.l2() * w[at];
                        g[at] += (float) (gi * gi);
                        w[at] -= (float) (lr * gi / Math.sqrt(g[at] + 1e-8));
                    }
                    for (int d = 0; d < denseCount; d++) {
                        int at = d * k + c;
                        double gi = grad * r.dense[d];
                        dg[at] += (float) (gi * gi);
                        dw[at] -= (float) (lr * gi / Math.sqrt(dg[at] + 1e-8));
                    }
                }
            }
        }
        return SentimentModel.Weights.quantise(w, dw, groups(s));
    }

    private static void softmax(double[] z) {
        double max = Math.max(z[0], Math.max(z[1], z[2]));
        double sum = 0;
        for (int c = 0; c < z.length; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < z.length; c++) {
            z[c] /= sum;
        }
    }
}
