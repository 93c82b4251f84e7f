package io.echolot.tools;

import io.echolot.sentiment.SentimentScorer;
import io.echolot.tools.sentiment.Evaluation;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code evaluate-sentiment}: scores a labelled file ({@code label<TAB>text}) and prints accuracy,
 * macro-F1, macro-recall and the confusion matrix (rows = gold, columns = predicted).
 */
@Command(
        name = "evaluate-sentiment",
        mixinStandardHelpOptions = true,
        description = "Evaluates the sentiment scorer on a labelled file (label<TAB>text).")
final class EvaluateSentimentCommand implements Callable<Integer> {

    @Mixin ScorerOptions scorerOptions = new ScorerOptions();

    @Option(names = "--in", required = true, description = "Labelled input file, UTF-8.")
    Path in;

    @Option(
            names = "--lang",
            defaultValue = "auto",
            description = "de, en or auto (guess per text). Default: ${DEFAULT-VALUE}.")
    String lang;

    @Override
    public Integer call() throws Exception {
        String language = SentimentLines.language(lang);
        SentimentScorer scorer = scorerOptions.scorer();
        Evaluation evaluation = new Evaluation();
        long unlabelled = 0;
        for (SentimentLines.Line line : SentimentLines.read(in)) {
            if (line.gold() == null) {
                unlabelled++;
                continue;
            }
            evaluation.add(line.gold(), scorer.score(line.text(), language).label());
        }
        if (evaluation.total() == 0) {
            System.err.println("no labelled lines (label<TAB>text) in " + in);
            return 1;
        }
        System.out.printf(
                "file %s, lang %s, scorer %s%n", in.getFileName(), lang, scorerOptions.name);
        System.out.print(evaluation.report());
        if (unlabelled > 0) {
            System.out.printf("skipped %d lines without a label%n", unlabelled);
        }
        return 0;
    }
}
