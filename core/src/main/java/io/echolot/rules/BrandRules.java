package io.echolot.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Brand and topic rules, read from a YAML file (format: {@code
 * schemas/src/main/resources/echolot/rules/example-rules.yaml}, JSON Schema {@code
 * echolot/schemas/rules-v1.schema.json}). Immutable and {@link Serializable}; compile it once with
 * {@link BrandMatcher#compile(BrandRules)}.
 *
 * <p>{@code topics} are global: they count for every mention. Brand topics ({@link Brand#topics()})
 * count only when their brand is mentioned; a brand topic with the id of a global topic adds terms
 * to that topic for this brand.
 */
public record BrandRules(List<Brand> brands, Map<String, Topic> topics) implements Serializable {

    public BrandRules {
        brands = List.copyOf(brands);
        topics = orderedCopy(topics);
    }

    /** Reads and validates a rules file; {@link RulesException} lists every problem found. */
    public static BrandRules load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rules file " + file + ": " + e, e);
        }
    }

    /** Reads and validates rules from a class-path resource, e.g. {@code echolot/rules/x.yaml}. */
    public static BrandRules loadResource(String resource) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = BrandRules.class.getClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("rules resource not found: " + resource);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rules resource " + resource + ": " + e, e);
        }
    }

    /**
     * Parses and validates rules YAML; {@code source} names the file in error messages. Pure, so a
     * broadcast stream of YAML texts can be parsed on every subtask.
     */
    public static BrandRules parse(String yaml, String source) {
        return RulesParser.parse(yaml, source);
    }

    /** The brand with this id. */
    public Optional<Brand> brand(String id) {
        for (Brand b : brands) {
            if (b.id().equals(id)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /**
     * The brand whose own account (care accounts, see {@link CareRules}) posted on {@code platform}
     * as {@code author}, if any: such a post is a brand reply, not a customer mention.
     */
    public Optional<String> ownAccountOf(
            io.echolot.model.Platform platform, io.echolot.model.Author author) {
        for (Brand b : brands) {
            if (b.care().isOwnAccount(platform, author)) {
                return Optional.of(b.id());
            }
        }
        return Optional.empty();
    }

    static <V> Map<String, V> orderedCopy(Map<String, V> map) {
        Map<String, V> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(Objects.requireNonNull(k), Objects.requireNonNull(v)));
        return Collections.unmodifiableMap(copy);
    }
}
