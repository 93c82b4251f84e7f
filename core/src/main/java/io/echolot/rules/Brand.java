package io.echolot.rules;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * One brand's rules.
 *
 * <ul>
 *   <li>{@code names} and {@code aliases}: words or phrases that mean the brand, matched as whole
 *       words (also inside #hashtags: "#Cardiofit" matches the name "Cardiofit"); a term ending in
 *       {@code *} also matches as the start of a longer word (German compounds: {@code cardiofit*}
 *       finds "Cardiofittabletten");
 *   <li>{@code handles}: the brand's accounts without '@', matched as "@handle" in the text and
 *       against the author's handle (the brand's own posts);
 *   <li>{@code hashtags}: without '#', matched only as "#tag";
 *   <li>{@code exclude}: terms that veto a hit of this brand overlapping them or within {@code
 *       excludeWindow} characters of them ("Bayer Leverkusen", "FC Bayern" for the company Bayer);
 *   <li>{@code pharma}: the brand is a medicinal product (adverse-event alerts);
 *   <li>{@code topics}: topics that count only when this brand is mentioned;
 *   <li>{@code care}: the brand's own accounts and answer-time SLAs ({@link CareRules}).
 * </ul>
 */
public record Brand(
        String id,
        List<String> names,
        List<String> aliases,
        List<String> handles,
        List<String> hashtags,
        List<String> exclude,
        int excludeWindow,
        boolean pharma,
        Map<String, Topic> topics,
        CareRules care)
        implements Serializable {

    /** Characters around an exclusion in which a brand hit is vetoed, unless the rules say. */
    public static final int DEFAULT_EXCLUDE_WINDOW = 30;

    public Brand {
        names = List.copyOf(names);
        aliases = List.copyOf(aliases);
        handles = List.copyOf(handles);
        hashtags = List.copyOf(hashtags);
        exclude = List.copyOf(exclude);
        topics = BrandRules.orderedCopy(topics);
        care = care == null ? CareRules.defaults(handles) : care;
    }

    /** A brand with the default care rules (its handles are its accounts on every platform). */
    public Brand(
            String id,
            List<String> names,
            List<String> aliases,
            List<String> handles,
            List<String> hashtags,
            List<String> exclude,
            int excludeWindow,
            boolean pharma,
            Map<String, Topic> topics) {
        this(id, names, aliases, handles, hashtags, exclude, excludeWindow, pharma, topics, null);
    }
}
