package io.echolot.sentiment;

import io.echolot.model.SentimentLabel;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The weights of the learned sentiment scorer: per language, a multinomial logistic regression over
 * {@link SentimentFeatures} with the hashed weights quantised to one byte each (a scale per class),
 * and the few dense weights as floats. Each language has its own feature groups beyond words, as
 * long as the hashed ones agree (a text is hashed once for all languages; dense groups differ
 * freely, a language reads only its own). Immutable once built; read from and written to a small
 * gzipped binary file.
 */
public final class SentimentModel {

    /** The classes in {@link SentimentLabel#ordinal()} order: negative, neutral, positive. */
    static final int CLASSES = 3;

    /** Feature groups for every language (files written before groups per language). */
    private static final int MAGIC_V1 = 0x45534D31; // "ESM1"

    private static final int MAGIC = 0x45534D32; // "ESM2"

    /** Groups that add hashed features: every language of a model must agree on them. */
    private static final int HASHED_GROUPS =
            SentimentFeatures.BIGRAMS | SentimentFeatures.CHAR_NGRAMS;

    final int bits;

    /**
     * The feature groups beyond words ({@link SentimentFeatures#BIGRAMS}, …) a text is extracted
     * with: those of all languages together.
     */
    final int groups;

    private final Map<String, Weights> languages;

    SentimentModel(int bits, Map<String, Weights> languages) {
        this.bits = bits;
        this.languages = new TreeMap<>(languages);
        int union = 0;
        Integer hashed = null;
        for (Map.Entry<String, Weights> e : this.languages.entrySet()) {
            int g = e.getValue().groups;
            if (hashed != null && (g & HASHED_GROUPS) != hashed) {
                throw new IllegalArgumentException(
                        "the languages of a sentiment model must agree on bigrams and character"
                                + " n-grams; "
                                + e.getKey()
                                + " does not");
            }
            hashed = g & HASHED_GROUPS;
            union |= g;
        }
        // a language reads the first of the text's dense features (Weights#addProbabilities):
        // right while VADER is the only dense group; another would need an offset per language
        if ((union & ~(HASHED_GROUPS | SentimentFeatures.VADER)) != 0) {
            throw new IllegalArgumentException("unknown sentiment feature groups: " + union);
        }
        this.groups = union;
    }

    /** The weights for a language code, or null. */
    Weights weights(String lang) {
        return languages.get(lang);
    }

    /** The language codes this model has weights for. */
    public java.util.Set<String> languages() {
        return java.util.Collections.unmodifiableSet(languages.keySet());
    }

    /** One language's weights. */
    static final class Weights {
        /** Hashed weights, feature-major: {@code q[f * CLASSES + c]}. */
        final byte[] quantised;

        final float[] scale;

        /** Dense weights, feature-major: {@code dense[d * CLASSES + c]}. */
        final float[] dense;

        /** This language's feature groups beyond words. */
        final int groups;

        Weights(byte[] quantised, float[] scale, float[] dense, int groups) {
            if (dense.length != SentimentFeatures.denseCount(groups) * CLASSES) {
                throw new IllegalArgumentException(
                        dense.length + " dense weights for feature groups " + groups);
            }
            this.quantised = quantised;
            this.scale = scale;
            this.dense = dense;
            this.groups = groups;
        }

        /** Quantises float weights (feature-major) to one signed byte each, per class. */
        static Weights quantise(float[] hashed, float[] dense, int groups) {
            float[] scale = new float[CLASSES];
            for (int i = 0; i < hashed.length; i++) {
                int c = i % CLASSES;
                scale[c] = Math.max(scale[c], Math.abs(hashed[i]));
            }
            for (int c = 0; c < CLASSES; c++) {
                scale[c] = scale[c] == 0 ? 1f : scale[c] / 127f;
            }
            byte[] q = new byte[hashed.length];
            for (int i = 0; i < hashed.length; i++) {
                q[i] = (byte) Math.round(hashed[i] / scale[i % CLASSES]);
            }
            return new Weights(q, scale, dense.clone(), groups);
        }

        /** Adds this language's class probabilities for the features to {@code out}. */
        void addProbabilities(SentimentFeatures f, double[] out, double weight) {
            int s0 = 0;
            int s1 = 0;
            int s2 = 0;
            int[] idx = f.indices;
            byte[] q = quantised;
            for (int i = 0; i < f.split; i++) {
                int base = idx[i] * CLASSES;
                s0 += q[base];
                s1 += q[base + 1];
                s2 += q[base + 2];
            }
            double z0 = s0 * scale[0] * f.value;
            double z1 = s1 * scale[1] * f.value;
            double z2 = s2 * scale[2] * f.value;
            if (f.split < f.size) {
                int c0 = 0;
                int c1 = 0;
                int c2 = 0;
                for (int i = f.split; i < f.size; i++) {
                    int base = idx[i] * CLASSES;
                    c0 += q[base];
                    c1 += q[base + 1];
                    c2 += q[base + 2];
                }
                z0 += c0 * scale[0] * f.charValue;
                z1 += c1 * scale[1] * f.charValue;
                z2 += c2 * scale[2] * f.charValue;
            }
            // A language's dense features are the first ones of the text's (DENSE, then its
            // groups').
            for (int d = 0, n = dense.length / CLASSES; d < n; d++) {
                float x = f.dense[d];
                z0 += dense[d * CLASSES] * x;
                z1 += dense[d * CLASSES + 1] * x;
                z2 += dense[d * CLASSES + 2] * x;
            }
            double max = Math.max(z0, Math.max(z1, z2));
            double e0 = Math.exp(z0 - max);
            double e1 = Math.exp(z1 - max);
            double e2 = Math.exp(z2 - max);
            double sum = e0 + e1 + e2;
            out[0] += weight * e0 / sum;
            out[1] += weight * e1 / sum;
            out[2] += weight * e2 / sum;
        }
    }

    /** Writes the model, gzipped. */
    public void write(OutputStream out) throws IOException {
        GZIPOutputStream gz = new GZIPOutputStream(out);
        DataOutputStream d = new DataOutputStream(gz);
        d.writeInt(MAGIC);
        d.writeInt(bits);
        d.writeInt(languages.size());
        for (Map.Entry<String, Weights> e : languages.entrySet()) {
            Weights w = e.getValue();
            d.writeUTF(e.getKey());
            d.writeInt(w.groups);
            for (float s : w.scale) {
                d.writeFloat(s);
            }
            d.writeInt(w.dense.length);
            for (float x : w.dense) {
                d.writeFloat(x);
            }
            d.write(w.quantised);
        }
        d.flush();
        gz.finish();
    }

    /** Reads a model written by {@link #write}. */
    public static SentimentModel read(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(new GZIPInputStream(in, 1 << 16));
        int magic = d.readInt();
        if (magic != MAGIC && magic != MAGIC_V1) {
            throw new IOException("not a sentiment model file");
        }
        int bits = d.readInt();
        if (bits < 8 || bits > 24) {
            throw new IOException("bad hash size in sentiment model: " + bits);
        }
        int shared = magic == MAGIC_V1 ? d.readInt() : 0;
        int n = d.readInt();
        Map<String, Weights> langs = new TreeMap<>();
        for (int l = 0; l < n; l++) {
            String lang = d.readUTF();
            int groups = magic == MAGIC_V1 ? shared : d.readInt();
            float[] scale = new float[CLASSES];
            for (int c = 0; c < CLASSES; c++) {
                scale[c] = d.readFloat();
            }
            int denseLength = d.readInt();
            if (denseLength != SentimentFeatures.denseCount(groups) * CLASSES) {
                throw new IOException("sentiment model has " + denseLength + " dense weights");
            }
            float[] dense = new float[denseLength];
            for (int i = 0; i < denseLength; i++) {
                dense[i] = d.readFloat();
            }
            byte[] q = new byte[(1 << bits) * CLASSES];
            d.readFully(q);
            langs.put(lang, new Weights(q, scale, dense, groups));
        }
        try {
            return new SentimentModel(bits, langs);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
