package io.echolot.tools;

import io.echolot.sentiment.SentimentScorer;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --scorer} and {@code --model} options the sentiment commands share. */
final class ScorerOptions {

    @Option(
            names = "--scorer",
            defaultValue = "lexicon",
            description = "lexicon or model (the learned scorer). Default: ${DEFAULT-VALUE}.")
    String name;

    @Option(
            names = "--model",
            description =
                    "With --scorer model: a weights file from train-sentiment instead of the built-in weights.")
    Path modelFile;

    /** The scorer these options name; an unknown name is an {@link IllegalArgumentException}. */
    SentimentScorer scorer() throws IOException {
        return SentimentLines.scorer(name, modelFile);
    }
}
