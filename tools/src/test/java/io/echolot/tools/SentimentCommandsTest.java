package io.echolot.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SentimentCommandsTest {

    @TempDir Path dir;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private PrintStream originalOut;

    @BeforeEach
    void captureStdout() {
        originalOut = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStdout() {
        System.setOut(originalOut);
    }

    private Path write(String name, String... lines) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, List.of(lines), StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void scoreSentimentWritesOneLabelAndScorePerLineInOrder() throws Exception {
        Path in =
                write(
                        "in.tsv",
                        "positive\tDas ist super",
                        "Der Zug hat wieder Verspätung",
                        "",
                        "neutral\tDer Zug fährt um zehn");
        Path out = dir.resolve("sub/out.tsv");
        int code =
                EcholotCli.commandLine()
                        .execute(
                                "score-sentiment",
                                "--in",
                                in.toString(),
                                "--out",
                                out.toString(),
                                "--lang",
                                "de");
        assertThat(code).isZero();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).matches("positive\t0\\.\\d{4}");
        assertThat(lines.get(1)).matches("negative\t-0\\.\\d{4}");
        assertThat(lines.get(2)).isEqualTo("neutral\t0.0000");
        assertThat(lines.get(3)).isEqualTo("neutral\t0.0000");
    }

    @Test
    void evaluateSentimentPrintsFiguresAndTheConfusionMatrix() throws Exception {
        Path in =
                write(
                        "gold.tsv",
                        "positive\tThis is great",
                        "negative\tThis is awful",
                        "neutral\tThe train leaves at ten",
                        "negative\tThis is great");
        int code =
                EcholotCli.commandLine()
                        .execute("evaluate-sentiment", "--in", in.toString(), "--lang", "en");
        assertThat(code).isZero();
        String out = stdout.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("texts 4").contains("accuracy 0.750");
        // negative: recall 1/2; neutral 1; positive 1 -> macro-recall 0.833
        assertThat(out).contains("macro-recall 0.833");
        assertThat(out).containsPattern("negative\\s+1\\s+0\\s+1");
        assertThat(out).containsPattern("positive\\s+0\\s+0\\s+1");
    }

    @Test
    void evaluateSentimentFailsWithoutLabels() throws Exception {
        Path in = write("plain.txt", "just text");
        int code = EcholotCli.commandLine().execute("evaluate-sentiment", "--in", in.toString());
        assertThat(code).isEqualTo(1);
    }

    @Test
    void rejectsAnUnknownLanguage() throws Exception {
        Path in = write("gold.tsv", "positive\tgut");
        int code =
                EcholotCli.commandLine()
                        .execute("evaluate-sentiment", "--in", in.toString(), "--lang", "fr");
        assertThat(code).isNotZero();
    }

    @Test
    void benchmarkSentimentReportsTextsPerSecond() throws Exception {
        Path in = write("texts.txt", "Das ist super 😀", "This is not good", "Verspätung!!!");
        int code =
                EcholotCli.commandLine()
                        .execute("benchmark-sentiment", "--in", in.toString(), "--seconds", "0.2");
        assertThat(code).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8))
                .containsPattern("3 texts .*: [1-9]\\d* texts/s on one thread");
    }

    @Test
    void trainSentimentWritesAModelThatEvaluateSentimentReads() throws Exception {
        String[] lines = new String[90];
        for (int i = 0; i < 30; i++) {
            lines[3 * i] = "positive\tzorbly widget number " + i;
            lines[3 * i + 1] = "negative\tgrumfax widget number " + i;
            lines[3 * i + 2] = "neutral\tplain widget number " + i;
        }
        Path train = write("train.tsv", lines);
        Path model = dir.resolve("model.bin");
        int code =
                EcholotCli.commandLine()
                        .execute(
                                "train-sentiment",
                                "--en",
                                train.toString(),
                                "--out",
                                model.toString(),
                                "--bits",
                                "12",
                                "--holdout",
                                "0.2");
        assertThat(code).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8))
                .contains("en: 90 texts, 72 for training, 18 held out")
                .contains("held-out en");
        Path gold = write("gold.tsv", "positive\tzorbly", "negative\tgrumfax", "neutral\tplain");
        stdout.reset();
        code =
                EcholotCli.commandLine()
                        .execute(
                                "evaluate-sentiment",
                                "--in",
                                gold.toString(),
                                "--lang",
                                "en",
                                "--scorer",
                                "model",
                                "--model",
                                model.toString());
        assertThat(code).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8))
                .contains("scorer model")
                .contains("accuracy 1.000");
    }

    @Test
    void trainingSettingsCanDifferPerLanguage() {
        assertThat(TrainSentimentCommand.perLanguage("0.5", 0, "--dropout"))
                .containsEntry("de", 0.5)
                .containsEntry("en", 0.5);
        assertThat(TrainSentimentCommand.perLanguage("en=0.5", 0, "--dropout"))
                .containsEntry("de", 0.0)
                .containsEntry("en", 0.5);
        assertThat(TrainSentimentCommand.perLanguage("de=0, en=0.25", 1, "--class-balance"))
                .containsEntry("de", 0.0)
                .containsEntry("en", 0.25);
        assertThat(TrainSentimentCommand.languages("en", "--vader")).containsExactly("en");
        for (String bad : List.of("fr=0.5", "en=", "half", "en=0.5,de")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> TrainSentimentCommand.perLanguage(bad, 0, "--dropout"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--dropout")
                    .hasMessageContaining(bad);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> TrainSentimentCommand.languages("en,fr", "--vader"))
                .hasMessageContaining("--vader takes languages de and en");
    }

    @Test
    void rejectsAnUnknownScorer() throws Exception {
        Path in = write("gold.tsv", "positive\tgut");
        int code =
                EcholotCli.commandLine()
                        .execute("evaluate-sentiment", "--in", in.toString(), "--scorer", "bert");
        assertThat(code).isNotZero();
    }

    @Test
    void benchmarksTheBuiltInModel() throws Exception {
        Path in = write("texts.txt", "Das ist super 😀", "This is not good", "Verspätung!!!");
        int code =
                EcholotCli.commandLine()
                        .execute(
                                "benchmark-sentiment",
                                "--in",
                                in.toString(),
                                "--seconds",
                                "0.2",
                                "--scorer",
                                "model");
        assertThat(code).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8))
                .containsPattern("3 texts .*scorer model: [1-9]\\d* texts/s on one thread");
    }
}
