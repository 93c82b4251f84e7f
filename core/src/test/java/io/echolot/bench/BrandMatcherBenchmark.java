package io.echolot.bench;

import io.echolot.rules.BrandMatcher;
import io.echolot.rules.BrandRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Throughput of {@link BrandMatcher} with 50 synthetic brands (names, aliases, handles, hashtags,
 * an exclusion and two brand topics each) and 10 global topics, on tweet-sized texts. Not a test:
 * {@code java -cp ... io.echolot.bench.BrandMatcherBenchmark}.
 */
public final class BrandMatcherBenchmark {

    private static final String[] WORDS = {
        "heute",
        "ich",
        "habe",
        "die",
        "neue",
        "Packung",
        "bekommen",
        "und",
        "leider",
        "wieder",
        "Kopfschmerzen",
        "seit",
        "Tagen",
        "Lieferung",
        "kam",
        "nicht",
        "an",
        "super",
        "Service",
        "the",
        "app",
        "keeps",
        "crashing",
        "after",
        "update",
        "Preis",
        "viel",
        "zu",
        "hoch",
        "für",
        "Müller",
        "Straße",
        "Ärger",
        "Übelkeit",
        "großartig",
        "#monday",
        "@someone",
        "https://t.co/x1"
    };

    public static void main(String[] args) {
        StringBuilder yaml = new StringBuilder("topics:\n");
        for (int t = 0; t < 10; t++) {
            yaml.append("  topic")
                    .append(t)
                    .append(":\n    keywords: [wort")
                    .append(t)
                    .append(", begriff")
                    .append(t)
                    .append("*, Übel")
                    .append(t)
                    .append("]\n    phrases: [\"ganz schlimm ")
                    .append(t)
                    .append("\"]\n");
        }
        yaml.append("brands:\n");
        for (int b = 0; b < 50; b++) {
            yaml.append("  - id: brand")
                    .append(b)
                    .append('\n')
                    .append("    names: [Marke")
                    .append(b)
                    .append(", \"Firma Nummer ")
                    .append(b)
                    .append("\"]\n    aliases: [Mrk")
                    .append(b)
                    .append("*]\n")
                    .append("    handles: [marke")
                    .append(b)
                    .append("_de]\n")
                    .append("    hashtags: [marke")
                    .append(b)
                    .append("love]\n")
                    .append("    exclude: [\"Marke")
                    .append(b)
                    .append(" Bier\"]\n")
                    .append("    topics:\n      app:\n        keywords: [app, update, absturz]\n")
                    .append("      preis:\n        keywords: [preis, teuer]\n");
        }
        BrandRules rules = BrandRules.parse(yaml.toString(), "bench");
        BrandMatcher matcher = BrandMatcher.compile(rules);
        for (int i = 0; i < 20; i++) {
            BrandMatcher.compile(rules);
        }
        long compileStart = System.nanoTime();
        BrandMatcher.compile(rules);
        System.out.printf(
                "compile %.2f ms; serialized rules %d bytes, matcher %d bytes%n",
                (System.nanoTime() - compileStart) / 1e6,
                serializedSize(rules),
                serializedSize(matcher));

        Random random = new Random(42);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            StringBuilder text = new StringBuilder();
            int words = 15 + random.nextInt(20);
            for (int w = 0; w < words; w++) {
                text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
                if (random.nextInt(30) == 0) {
                    text.append("Marke").append(random.nextInt(60)).append(' ');
                }
            }
            texts.add(text.toString());
        }
        long chars = texts.stream().mapToLong(String::length).sum();
        long hits = 0;
        for (int round = 0; round < 15; round++) {
            long start = System.nanoTime();
            for (String text : texts) {
                hits += matcher.match(text).brands().size();
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    "round %d: %.0f texts/s (avg %d chars)%n",
                    round, texts.size() / secs, chars / texts.size());
        }
        System.out.println("brand hits " + hits);
    }

    private static int serializedSize(Object o) {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.size();
    }
}
