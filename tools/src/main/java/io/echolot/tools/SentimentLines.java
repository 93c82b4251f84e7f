package io.echolot.tools;

import io.echolot.model.SentimentLabel;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Input lines of the sentiment commands: {@code label<TAB>text} (label negative, neutral or
 * positive) or plain text.
 */
final class SentimentLines {

    /** One input line: the gold label (null for plain text) and the text. */
    record Line(SentimentLabel gold, String text) {}

    private SentimentLines() {}

    static List<Line> read(Path file) throws IOException {
        List<Line> lines = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String s;
            while ((s = r.readLine()) != null) {
                lines.add(parse(s));
            }
        }
        return lines;
    }

    static Line parse(String s) {
        int tab = s.indexOf('\t');
        if (tab > 0) {
            SentimentLabel gold = label(s.substring(0, tab).strip());
            if (gold != null) {
                return new Line(gold, s.substring(tab + 1));
            }
        }
        return new Line(null, s);
    }

    /** The label named by a gold-standard column, or null. */
    static SentimentLabel label(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "negative", "neg", "-1" -> SentimentLabel.NEGATIVE;
            case "neutral", "neu", "0" -> SentimentLabel.NEUTRAL;
            case "positive", "pos", "1" -> SentimentLabel.POSITIVE;
            default -> null;
        };
    }

    /** The scorer named by a {@code --scorer} value: lexicon or model. */
    static io.echolot.sentiment.SentimentScorer scorer(String name, Path modelFile)
            throws IOException {
        return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "lexicon" -> new io.echolot.sentiment.LexiconSentimentScorer();
            case "model" ->
                    modelFile == null
                            ? new io.echolot.sentiment.ModelSentimentScorer()
                            : new io.echolot.sentiment.ModelSentimentScorer(readModel(modelFile));
            default ->
                    throw new IllegalArgumentException(
                            "--scorer must be lexicon or model, got " + name);
        };
    }

    private static io.echolot.sentiment.SentimentModel readModel(Path file) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return io.echolot.sentiment.SentimentModel.read(in);
        }
    }

    /** The {@code --lang} value as the scorer takes it: de, en, or null for auto. */
    static String language(String option) {
        if (option == null) {
            return null;
        }
        return switch (option.toLowerCase(Locale.ROOT)) {
            case "de" -> "de";
            case "en" -> "en";
            case "auto" -> null;
            default ->
                    throw new IllegalArgumentException(
                            "--lang must be de, en or auto, got " + option);
        };
    }
}
