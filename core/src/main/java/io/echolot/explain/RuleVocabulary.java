package io.echolot.explain;

import io.echolot.rules.Brand;
import io.echolot.rules.BrandRules;
import io.echolot.rules.Topic;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The words the rules already watch, per brand: its names, aliases, handles and hashtags and the
 * keywords, phrases and hashtags of every topic (a keyword ending in {@code *} covers the words it
 * starts). {@link EmergingTopics} reports only what these do not cover: a story a rule catches is
 * the rule's topic already.
 */
public final class RuleVocabulary implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, Set<String>> words;
    private final Map<String, List<String>> prefixes;

    private RuleVocabulary(Map<String, Set<String>> words, Map<String, List<String>> prefixes) {
        this.words = words;
        this.prefixes = prefixes;
    }

    /** No rules: every word may emerge. */
    public static RuleVocabulary none() {
        return new RuleVocabulary(new HashMap<>(), new HashMap<>());
    }

    /** The vocabulary of {@code rules}, tokenised like the mentions ({@link Terms}). */
    public static RuleVocabulary of(BrandRules rules) {
        Map<String, Set<String>> words = new HashMap<>();
        Map<String, List<String>> prefixes = new HashMap<>();
        for (Brand b : rules.brands()) {
            Set<String> w = new HashSet<>();
            List<String> p = new ArrayList<>();
            List<String> terms = new ArrayList<>();
            terms.addAll(b.names());
            terms.addAll(b.aliases());
            b.handles().forEach(h -> terms.add(h.replace("@", " ").replace('_', ' ')));
            terms.addAll(b.hashtags());
            List<Topic> topics = new ArrayList<>(rules.topics().values());
            topics.addAll(b.topics().values());
            for (Topic t : topics) {
                terms.add(t.id().replace('_', ' '));
                terms.addAll(t.keywords());
                terms.addAll(t.phrases());
                terms.addAll(t.hashtags());
            }
            for (String term : terms) {
                boolean prefix = term.endsWith("*");
                for (String token : Terms.tokens(prefix ? term.replace("*", "") : term)) {
                    if (token == null) {
                        continue;
                    }
                    if (prefix) {
                        p.add(token);
                    } else {
                        w.add(token);
                    }
                }
            }
            words.put(b.id(), w);
            prefixes.put(b.id(), p);
        }
        return new RuleVocabulary(words, prefixes);
    }

    /** Whether a rule of {@code brand} watches {@code term} (a word of {@link Terms}). */
    public boolean covers(String brand, String term) {
        Set<String> w = words.get(brand);
        if (w != null && w.contains(term)) {
            return true;
        }
        List<String> p = prefixes.get(brand);
        if (p != null) {
            for (String prefix : p) {
                if (term.startsWith(prefix)) {
                    return true;
                }
            }
        }
        return false;
    }
}
