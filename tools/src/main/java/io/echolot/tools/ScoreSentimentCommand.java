package io.echolot.tools;

import io.echolot.sentiment.Sentiment;
import io.echolot.sentiment.SentimentScorer;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code score-sentiment}: scores every line of a file ({@code label<TAB>text} or plain text) and
 * writes {@code label<TAB>score} per line, in the same order.
 */
@Command(
        name = "score-sentiment",
        mixinStandardHelpOptions = true,
        description = "Scores the sentiment of each line of a file (label<TAB>text or plain text).")
final class ScoreSentimentCommand implements Callable<Integer> {

    @Mixin ScorerOptions scorerOptions = new ScorerOptions();

    @Option(names = "--in", required = true, description = "Input file, UTF-8.")
    Path in;

    @Option(
            names = "--out",
            required = true,
            description = "Output file: predicted label<TAB>score per input line.")
    Path out;

    @Option(
            names = "--lang",
            defaultValue = "auto",
            description = "de, en or auto (guess per text). Default: ${DEFAULT-VALUE}.")
    String lang;

    @Override
    public Integer call() throws Exception {
        String language = SentimentLines.language(lang);
        List<SentimentLines.Line> lines = SentimentLines.read(in);
        SentimentScorer scorer = scorerOptions.scorer();
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (SentimentLines.Line line : lines) {
                Sentiment s = scorer.score(line.text(), language);
                w.write(s.label().wireName());
                w.write('\t');
                w.write(String.format(Locale.ROOT, "%.4f", s.score()));
                w.write('\n');
            }
        }
        System.out.printf("scored %d lines into %s%n", lines.size(), out);
        return 0;
    }
}
