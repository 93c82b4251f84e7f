package io.echolot.tools;

import io.echolot.sentiment.SentimentScorer;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code benchmark-sentiment}: scores the texts of a file over and over on one thread and prints
 * texts per second after a warm-up, i.e. the throughput of one core.
 */
@Command(
        name = "benchmark-sentiment",
        mixinStandardHelpOptions = true,
        description = "Single-thread sentiment scoring throughput (texts/s per core).")
final class BenchmarkSentimentCommand implements Callable<Integer> {

    @Mixin ScorerOptions scorerOptions = new ScorerOptions();

    @Option(names = "--in", required = true, description = "Input file (label<TAB>text or text).")
    java.nio.file.Path in;

    @Option(
            names = "--seconds",
            defaultValue = "10",
            description =
                    "Measured seconds (after as many warm-up seconds, at most 10). Default: ${DEFAULT-VALUE}.")
    double seconds;

    @Option(
            names = "--lang",
            defaultValue = "auto",
            description = "de, en or auto (guess per text). Default: ${DEFAULT-VALUE}.")
    String lang;

    /** Keeps the JIT from dropping the work. */
    static volatile double sink;

    @Override
    public Integer call() throws Exception {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("--seconds must be positive, got " + seconds);
        }
        String language = SentimentLines.language(lang);
        List<String> texts =
                SentimentLines.read(in).stream().map(SentimentLines.Line::text).toList();
        if (texts.isEmpty()) {
            System.err.println("no texts in " + in);
            return 1;
        }
        SentimentScorer scorer = scorerOptions.scorer();
        long totalChars = texts.stream().mapToLong(String::length).sum();
        run(scorer, texts, language, Math.min(seconds, 10));
        long[] counted = run(scorer, texts, language, seconds);
        double elapsed = counted[1] / 1e9;
        double perSecond = counted[0] / elapsed;
        double perCpuSecond = counted[2] > 0 ? counted[0] / (counted[2] / 1e9) : Double.NaN;
        System.out.printf(
                "%d texts (mean %.0f chars), lang %s, scorer %s: %.0f texts/s on one thread (%.1f µs per"
                        + " text); %.0f texts per CPU second of that thread%n",
                texts.size(),
                (double) totalChars / texts.size(),
                lang,
                scorerOptions.name,
                perSecond,
                1e6 / perSecond,
                perCpuSecond);
        return 0;
    }

    /**
     * Scores for about the given time; returns {texts scored, wall nanoseconds, CPU nanoseconds of
     * this thread}. The CPU time makes the figure usable on a shared machine, where the thread
     * waits for a core part of the wall time.
     */
    private static long[] run(SentimentScorer scorer, List<String> texts, String lang, double s) {
        java.lang.management.ThreadMXBean threads =
                java.lang.management.ManagementFactory.getThreadMXBean();
        long budget = (long) (s * 1e9);
        long start = System.nanoTime();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long n = 0;
        double acc = 0;
        long elapsed;
        do {
            for (String t : texts) {
                acc += scorer.score(t, lang).score();
            }
            n += texts.size();
            elapsed = System.nanoTime() - start;
        } while (elapsed < budget);
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        sink = acc;
        return new long[] {n, elapsed, cpu};
    }
}
