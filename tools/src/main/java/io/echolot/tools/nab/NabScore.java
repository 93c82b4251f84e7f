package io.echolot.tools.nab;

import java.util.Collection;

/**
 * The raw NAB score of a detector on one or more files under one profile, with what it needs to be
 * normalised.
 *
 * @param raw S, the sum of true-positive, false-positive and missed-window scores
 * @param windows labelled windows
 * @param windowsHit windows with at least one scored detection
 * @param detectionsOutside scored detections outside every window
 */
public record NabScore(
        NabProfile profile, double raw, int windows, int windowsHit, int detectionsOutside) {

    /** S of a detector that never fires: −fnWeight · windows. */
    public double nullScore() {
        return -profile.fnWeight() * windows;
    }

    /** S of a perfect detector: tpWeight · windows. */
    public double perfectScore() {
        return profile.tpWeight() * windows;
    }

    /** 100 · (S − S_null) / (S_perfect − S_null); NaN without windows. */
    public double normalised() {
        if (windows == 0) {
            return Double.NaN;
        }
        return 100 * (raw - nullScore()) / (perfectScore() - nullScore());
    }

    /** The score over several files (same profile): raw scores and counts add up. */
    public static NabScore sum(NabProfile profile, Collection<NabScore> scores) {
        double raw = 0;
        int windows = 0;
        int hit = 0;
        int outside = 0;
        for (NabScore s : scores) {
            if (!s.profile().equals(profile)) {
                throw new IllegalArgumentException("mixed profiles");
            }
            raw += s.raw();
            windows += s.windows();
            hit += s.windowsHit();
            outside += s.detectionsOutside();
        }
        return new NabScore(profile, raw, windows, hit, outside);
    }
}
