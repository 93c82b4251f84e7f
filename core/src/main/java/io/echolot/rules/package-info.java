/**
 * Brand and topic rules: {@link io.echolot.rules.BrandRules} (read from YAML, validated) and {@link
 * io.echolot.rules.BrandMatcher} (one Aho–Corasick pass per text).
 *
 * <p>In a Flink job, read the file in {@code main} ({@code BrandRules.load(path)}, so a bad file
 * stops the job before it starts, with every problem listed), hand the {@code BrandRules} (small,
 * {@code Serializable}) to the enrichment function and compile it in {@code open()}; or hand it a
 * compiled {@code BrandMatcher}, which is {@code Serializable} too. For reloading without a
 * restart, broadcast the YAML text (a plain {@code String}, no Kryo): each subtask runs {@code
 * BrandMatcher.compile(BrandRules.parse(yaml, source))} on the broadcast element and keeps the old
 * matcher when parsing fails.
 */
package io.echolot.rules;
