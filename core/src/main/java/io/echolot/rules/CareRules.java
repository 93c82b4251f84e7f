package io.echolot.rules;

import io.echolot.model.Author;
import io.echolot.model.Platform;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One brand's customer-care rules: which accounts speak for the brand, and how fast a customer
 * addressing it must get an answer.
 *
 * <ul>
 *   <li>{@code accounts}: platform wire name (or {@value #ANY_PLATFORM}) → the brand's own account
 *       handles (without '@') or author ids there; without a {@code care} block, the brand's {@code
 *       handles} count on every platform;
 *   <li>{@code items}: which customer mentions need an answer ({@link Items});
 *   <li>{@code slaNormal}, {@code slaHigh}: the time to a first brand reply;
 *   <li>high priority: authors with at least {@code highFollowers} followers, mentions about one of
 *       {@code highTopics} (pharma brands add the adverse-event topics), customers whose CRM tier
 *       is one of {@code highTiers}.
 * </ul>
 */
public record CareRules(
        Map<String, List<String>> accounts,
        Items items,
        Duration slaNormal,
        Duration slaHigh,
        long highFollowers,
        List<String> highTopics,
        List<String> highTiers)
        implements Serializable {

    /** Which customer mentions of a brand are care items. */
    public enum Items {
        /**
         * Mentions that address the brand: "@handle" of one of its accounts, or a question or a
         * negative post in a conversation the brand's accounts take part in.
         */
        ADDRESSED,
        /** Also every other question and negative post about the brand (much more to answer). */
        ALL;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The accounts key that applies on every platform. */
    public static final String ANY_PLATFORM = "any";

    public static final Duration DEFAULT_SLA_NORMAL = Duration.ofMinutes(60);
    public static final Duration DEFAULT_SLA_HIGH = Duration.ofMinutes(15);
    public static final long DEFAULT_HIGH_FOLLOWERS = 10_000;
    public static final List<String> DEFAULT_HIGH_TIERS = List.of("gold", "platinum", "vip");

    public CareRules {
        java.util.Map<String, List<String>> copy = new java.util.LinkedHashMap<>();
        accounts.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        accounts = java.util.Collections.unmodifiableMap(copy);
        highTopics = List.copyOf(highTopics);
        highTiers = highTiers.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
        java.util.Objects.requireNonNull(items, "items");
        if (slaNormal.isNegative()
                || slaNormal.isZero()
                || slaHigh.isNegative()
                || slaHigh.isZero()) {
            throw new IllegalArgumentException("care SLAs must be positive");
        }
    }

    /** The defaults for a brand without a {@code care} block: its handles on every platform. */
    public static CareRules defaults(List<String> handles) {
        return new CareRules(
                handles.isEmpty() ? Map.of() : Map.of(ANY_PLATFORM, List.copyOf(handles)),
                Items.ADDRESSED,
                DEFAULT_SLA_NORMAL,
                DEFAULT_SLA_HIGH,
                DEFAULT_HIGH_FOLLOWERS,
                List.of(),
                DEFAULT_HIGH_TIERS);
    }

    /** Whether {@code author} posting on {@code platform} is one of the brand's own accounts. */
    public boolean isOwnAccount(Platform platform, Author author) {
        return author != null
                && (matches(accounts.get(platform.wireName()), author)
                        || matches(accounts.get(ANY_PLATFORM), author));
    }

    /**
     * The brand's handles (without '@', lower case) on a platform: "@handle" addresses the brand.
     */
    public List<String> handlesOn(Platform platform) {
        return java.util.stream.Stream.concat(
                        accounts.getOrDefault(platform.wireName(), List.of()).stream(),
                        accounts.getOrDefault(ANY_PLATFORM, List.of()).stream())
                .map(h -> h.toLowerCase(Locale.ROOT))
                .distinct()
                .toList();
    }

    private static boolean matches(List<String> accounts, Author author) {
        if (accounts == null) {
            return false;
        }
        String handle = author.handle() == null ? null : stripAt(author.handle());
        for (String a : accounts) {
            if (a.equals(author.id()) || (handle != null && sameHandle(a, handle))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether two handles are the same account: equal but for the case of ASCII letters. Other
     * letters must match exactly, since Unicode case folding would take look-alikes for the brand's
     * account ("acme_ſervice" with a long s, or a Kelvin sign for K, fold to ASCII).
     */
    static boolean sameHandle(String a, String b) {
        return foldHandle(a).equals(foldHandle(b));
    }

    /** ASCII letters in lower case, everything else as it is. */
    static String foldHandle(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (b == null) {
                    b = new StringBuilder(s);
                }
                b.setCharAt(i, (char) (c + 32));
            }
        }
        return b == null ? s : b.toString();
    }

    static String stripAt(String handle) {
        String h = handle.strip();
        return h.startsWith("@") ? h.substring(1) : h;
    }
}
