package io.echolot.model;

/** Interaction counts of a mention at the time it was read; 0 where the source gave none. */
public record Engagement(long likes, long shares, long comments, long views) {

    public static final Engagement NONE = new Engagement(0, 0, 0, 0);

    /** Likes, shares and comments: the interactions. Views are reach, not engagement. */
    public long total() {
        return likes + shares + comments;
    }
}
