package io.echolot.bench;

import io.echolot.language.LanguageDetector;
import io.echolot.language.OptimaizeLanguageDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Accuracy and throughput of {@link OptimaizeLanguageDetector} on labelled files, not a test: run
 * with a folder of {@code label<TAB>text} files whose names start with their language code ({@code
 * de_*.tsv}, {@code en_*.tsv}).
 *
 * <pre>
 * java -cp core/target/classes:core/target/test-classes:$(deps) \
 *     io.echolot.bench.LanguageDetectionBenchmark DIR [minProbability]
 * </pre>
 */
public final class LanguageDetectionBenchmark {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        double min =
                args.length > 1
                        ? Double.parseDouble(args[1])
                        : OptimaizeLanguageDetector.DEFAULT_MIN_PROBABILITY;
        long t0 = System.nanoTime();
        LanguageDetector detector =
                OptimaizeLanguageDetector.create(OptimaizeLanguageDetector.DEFAULT_LANGUAGES, min);
        System.out.printf("load %.0f ms%n", (System.nanoTime() - t0) / 1e6);

        List<String> all = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".tsv")).sorted().toList();
        }
        for (Path file : files) {
            String want = file.getFileName().toString().substring(0, 2);
            Map<String, Integer> counts = new TreeMap<>();
            int n = 0;
            int shortN = 0;
            int shortOk = 0;
            for (String line : Files.readAllLines(file)) {
                int tab = line.indexOf('\t');
                if (tab < 0) {
                    continue;
                }
                String text = line.substring(tab + 1);
                all.add(text);
                String got = detector.detect(text);
                counts.merge(got, 1, Integer::sum);
                n++;
                if (text.length() <= 80) {
                    shortN++;
                    shortOk += got.equals(want) ? 1 : 0;
                }
            }
            System.out.printf(
                    "%-28s n=%d %s=%.1f%% und=%.1f%% short(<=80 chars) n=%d %.1f%% %s%n",
                    file.getFileName(),
                    n,
                    want,
                    100.0 * counts.getOrDefault(want, 0) / n,
                    100.0 * counts.getOrDefault(LanguageDetector.UNDETERMINED, 0) / n,
                    shortN,
                    shortN == 0 ? 0 : 100.0 * shortOk / shortN,
                    counts);
        }
        for (int round = 0; round < 4; round++) {
            long start = System.nanoTime();
            for (String text : all) {
                detector.detect(text);
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("round %d: %.0f texts/s%n", round, all.size() / secs);
        }
        System.gc();
        Runtime rt = Runtime.getRuntime();
        System.out.printf(
                "heap used after GC: %d MB%n", (rt.totalMemory() - rt.freeMemory()) >> 20);
    }
}
