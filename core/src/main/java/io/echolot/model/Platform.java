package io.echolot.model;

import java.util.Locale;

/**
 * Where a mention was posted. The wire names are the lower-case enum names; "twitter" reads as
 * {@link #X}.
 */
public enum Platform {
    X,
    FACEBOOK,
    INSTAGRAM,
    YOUTUBE,
    REDDIT,
    FORUM,
    BLOG,
    NEWS,
    REVIEW,
    OTHER;

    // computed once: the name is asked for per mention in the hot path
    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The name used in events and documents. */
    public String wireName() {
        return wireName;
    }

    /** Reads a wire name; unknown names are an error the parser reports. */
    public static Platform fromWireName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("twitter")) {
            return X;
        }
        for (Platform p : values()) {
            if (p.wireName().equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown platform '" + name + "'");
    }
}
