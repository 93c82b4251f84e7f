package io.echolot.tools.nab;

import java.util.List;

/** A NAB cost profile: the weights of true positives, missed windows and false positives. */
public record NabProfile(String name, double tpWeight, double fnWeight, double fpWeight) {

    public static final NabProfile STANDARD = new NabProfile("standard", 1.0, 1.0, 0.11);
    public static final NabProfile REWARD_LOW_FP =
            new NabProfile("reward_low_FP_rate", 1.0, 1.0, 0.22);
    public static final NabProfile REWARD_LOW_FN =
            new NabProfile("reward_low_FN_rate", 1.0, 2.0, 0.11);

    /** The three profiles of the benchmark. */
    public static final List<NabProfile> ALL = List.of(STANDARD, REWARD_LOW_FP, REWARD_LOW_FN);
}
