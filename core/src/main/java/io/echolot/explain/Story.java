package io.echolot.explain;

import java.util.ArrayList;
import java.util.List;

/**
 * An emerging story of one brand that was reported: its lead term (the alert's topic) and the terms
 * seen rising with it, so that a later bucket of the same story continues its alert instead of
 * opening another. A Flink POJO.
 */
public class Story {
    public String lead;
    public List<String> terms = new ArrayList<>();

    /** Event time of the last bucket the story rose in. */
    public long lastSeen;

    public Story() {}
}
