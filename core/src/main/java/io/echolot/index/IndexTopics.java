package io.echolot.index;

import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The names of the index topics, one per kind of document, so a backlog of mention documents after
 * an Elasticsearch outage never queues the few alert documents behind it in one partition, and each
 * kind can be given its own partitions and retention.
 */
public record IndexTopics(String prefix) implements Serializable {

    public static final String DEFAULT_PREFIX = "echolot.index";

    public IndexTopics {
        if (prefix == null || !prefix.matches("[a-zA-Z0-9._-]{1,200}")) {
            throw new IllegalArgumentException(
                    "the index topic prefix must be 1 to 200 of a-z, A-Z, 0-9, '.', '_', '-', got '"
                            + prefix
                            + "'");
        }
    }

    public String mentions() {
        return prefix + ".mentions";
    }

    public String aggregates() {
        return prefix + ".aggregates";
    }

    public String alerts() {
        return prefix + ".alerts";
    }

    public String care() {
        return prefix + ".care";
    }

    /**
     * The index topics as a subscription pattern: unlike a list of names, a pattern lets the
     * indexing job start before the analytics job has created its topics.
     */
    public Pattern pattern() {
        return Pattern.compile(Pattern.quote(prefix) + "\\.(mentions|aggregates|alerts|care)");
    }

    /** Every index topic. */
    public List<String> all() {
        return List.of(mentions(), aggregates(), alerts(), care());
    }
}
