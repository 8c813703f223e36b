package io.sextant.bench.nab;

import java.util.List;

/**
 * An application profile: the weights of a true positive, a false positive and a false negative.
 * {@code fpWeight} and {@code fnWeight} are magnitudes (the scorer subtracts them).
 */
record NabProfile(String name, double tpWeight, double fpWeight, double fnWeight) {

    static final NabProfile STANDARD = new NabProfile("standard", 1.0, 0.11, 1.0);
    static final NabProfile REWARD_LOW_FP_RATE = new NabProfile("reward_low_FP_rate", 1.0, 0.22, 1.0);
    static final NabProfile REWARD_LOW_FN_RATE = new NabProfile("reward_low_FN_rate", 1.0, 0.11, 2.0);

    static final List<NabProfile> ALL = List.of(STANDARD, REWARD_LOW_FP_RATE, REWARD_LOW_FN_RATE);
}
