package io.echolot.rules;

import java.io.Serializable;
import java.util.List;

/**
 * The terms of one topic. {@code keywords} are single words, {@code phrases} several words; both
 * match as whole words, and a term ending in {@code *} also matches as the start of a longer word
 * ({@code nebenwirkung*} finds "Nebenwirkungen"). {@code hashtags} are written without '#' and
 * match only in their #form.
 */
public record Topic(String id, List<String> keywords, List<String> phrases, List<String> hashtags)
        implements Serializable {

    public Topic {
        keywords = List.copyOf(keywords);
        phrases = List.copyOf(phrases);
        hashtags = List.copyOf(hashtags);
    }
}
