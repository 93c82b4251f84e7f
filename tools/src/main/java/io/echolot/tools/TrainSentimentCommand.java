package io.echolot.tools;

import io.echolot.sentiment.ModelSentimentScorer;
import io.echolot.sentiment.SentimentModel;
import io.echolot.sentiment.SentimentTrainer;
import io.echolot.sentiment.SentimentTrainer.Example;
import io.echolot.tools.sentiment.Evaluation;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code train-sentiment}: trains the learned sentiment scorer's weights from labelled corpus files
 * ({@code label<TAB>text}) per language, holds out a seeded share of each language's texts, prints
 * the held-out figures of the written (quantised) model and writes it.
 */
@Command(
        name = "train-sentiment",
        mixinStandardHelpOptions = true,
        description = "Trains the learned sentiment scorer from labelled files (label<TAB>text).")
final class TrainSentimentCommand implements Callable<Integer> {

    @Option(names = "--de", description = "German training file(s), label<TAB>text.")
    List<Path> german = new ArrayList<>();

    @Option(names = "--en", description = "English training file(s), label<TAB>text.")
    List<Path> english = new ArrayList<>();

    @Option(names = "--out", required = true, description = "The model file to write.")
    Path out;

    @Option(
            names = "--bits",
            defaultValue = "18",
            description = "Hash size in bits. Default: ${DEFAULT-VALUE}.")
    int bits;

    @Option(
            names = "--epochs",
            defaultValue = "5",
            description = "Passes. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(
            names = "--rate",
            defaultValue = "0.1",
            description = "AdaGrad rate. Default: ${DEFAULT-VALUE}.")
    double rate;

    @Option(
            names = "--l2",
            defaultValue = "1e-6",
            description = "L2 penalty. Default: ${DEFAULT-VALUE}.")
    double l2;

    @Option(names = "--seed", defaultValue = "18", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--bigrams", description = "Word bigrams as features too.")
    boolean bigrams;

    @Option(names = "--char-ngrams", description = "Character 3- to 5-grams as features too.")
    boolean charNgrams;

    @Option(
            names = "--vader",
            arity = "0..1",
            fallbackValue = "de,en",
            paramLabel = "LANGS",
            description =
                    "VADER lexicon sums, caps and elongation as features too: for every language,"
                            + " or for those listed (--vader en).")
    String vader;

    @Option(
            names = "--class-balance",
            defaultValue = "1",
            paramLabel = "B|LANG=B,...",
            description =
                    "How far class weights even out the classes: 1 all classes count alike, 0 the"
                            + " corpus's own class shares; one value for every language or"
                            + " per language (en=0.5). Default: ${DEFAULT-VALUE}.")
    String classBalance;

    @Option(
            names = "--dropout",
            defaultValue = "0",
            paramLabel = "P|LANG=P,...",
            description =
                    "Share of hashed features left out of each training step, so the model leans"
                            + " on the lexicon features; one value for every language or per"
                            + " language (en=0.5, the others 0). Default: ${DEFAULT-VALUE}.")
    String dropout;

    @Option(
            names = "--holdout",
            defaultValue = "0.1",
            description =
                    "Share of each language's texts held out for figures. Default: ${DEFAULT-VALUE}.")
    double holdout;

    @Override
    public Integer call() throws Exception {
        if (!(holdout >= 0 && holdout < 1)) {
            throw new IllegalArgumentException("--holdout must be in [0, 1), got " + holdout);
        }
        Map<String, List<Path>> files = new TreeMap<>();
        if (!german.isEmpty()) {
            files.put("de", german);
        }
        if (!english.isEmpty()) {
            files.put("en", english);
        }
        if (files.isEmpty()) {
            System.err.println("give training files with --de and/or --en");
            return 1;
        }
        Map<String, List<Example>> train = new TreeMap<>();
        Map<String, List<Example>> held = new TreeMap<>();
        for (Map.Entry<String, List<Path>> e : files.entrySet()) {
            List<Example> all = new ArrayList<>();
            for (Path p : e.getValue()) {
                for (SentimentLines.Line line : SentimentLines.read(p)) {
                    if (line.gold() != null) {
                        all.add(new Example(line.gold(), line.text()));
                    }
                }
            }
            Collections.shuffle(all, new Random(seed));
            int cut = (int) Math.round(all.size() * holdout);
            held.put(e.getKey(), all.subList(0, cut));
            train.put(e.getKey(), all.subList(cut, all.size()));
            System.out.printf(
                    "%s: %d texts, %d for training, %d held out%n",
                    e.getKey(), all.size(), all.size() - cut, cut);
        }
        Set<String> languages = files.keySet();
        Set<String> vaderFor = vader == null ? Set.of() : languages(vader, "--vader");
        Map<String, Double> balance = perLanguage(classBalance, 1, "--class-balance");
        Map<String, Double> drop = perLanguage(dropout, 0, "--dropout");
        Map<String, SentimentTrainer.Settings> settings = new TreeMap<>();
        for (String lang : languages) {
            SentimentTrainer.Settings s =
                    new SentimentTrainer.Settings(
                            bits,
                            epochs,
                            rate,
                            l2,
                            seed,
                            bigrams,
                            charNgrams,
                            vaderFor.contains(lang),
                            balance.get(lang),
                            drop.get(lang));
            settings.put(lang, s);
            System.out.printf(
                    "%s: vader %s, class balance %s, dropout %s%n",
                    lang, s.vader(), s.classBalance(), s.dropout());
        }
        SentimentModel model = SentimentTrainer.train(train, settings);
        try (OutputStream o = Files.newOutputStream(out)) {
            model.write(o);
        }
        System.out.printf("wrote %s (%d bytes)%n", out, Files.size(out));
        ModelSentimentScorer scorer = new ModelSentimentScorer(model);
        for (Map.Entry<String, List<Example>> e : held.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            Evaluation ev = new Evaluation();
            for (Example x : e.getValue()) {
                ev.add(x.label(), scorer.score(x.text(), e.getKey()).label());
            }
            System.out.printf("held-out %s%n%s", e.getKey(), ev.report());
        }
        return 0;
    }

    private static final Set<String> LANGUAGES = Set.of("de", "en");

    /** "de,en" or "en": languages the model can have. */
    static Set<String> languages(String spec, String option) {
        Set<String> out = new java.util.TreeSet<>();
        for (String lang : spec.split(",")) {
            String l = lang.trim();
            if (!LANGUAGES.contains(l)) {
                throw new IllegalArgumentException(
                        option
                                + " takes languages de and en, comma-separated; got \""
                                + spec
                                + "\"");
            }
            out.add(l);
        }
        return out;
    }

    /**
     * "0.5" for every language, or "en=0.5" or "en=0.5,de=0" per language; a language not named
     * keeps the option's default.
     */
    static Map<String, Double> perLanguage(String spec, double fallback, String option) {
        Map<String, Double> out = new TreeMap<>();
        LANGUAGES.forEach(l -> out.put(l, fallback));
        try {
            if (!spec.contains("=")) {
                double v = Double.parseDouble(spec.trim());
                LANGUAGES.forEach(l -> out.put(l, v));
                return out;
            }
            for (String pair : spec.split(",")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw new NumberFormatException(pair);
                }
                String lang = pair.substring(0, eq).trim();
                if (!LANGUAGES.contains(lang)) {
                    throw new NumberFormatException(lang);
                }
                out.put(lang, Double.parseDouble(pair.substring(eq + 1).trim()));
            }
            return out;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    option
                            + " takes a number for every language or LANG=number pairs"
                            + " (de, en), comma-separated; got \""
                            + spec
                            + "\"");
        }
    }
}
