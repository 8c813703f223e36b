/**
 * The {@code nab} accuracy harness: runs Sextant's detectors over a folder in the Numenta Anomaly Benchmark
 * layout, writes NAB-format result files, and scores them with {@link io.sextant.bench.nab.NabScorer}, a scorer
 * written from the NAB paper's description (label windows, scaled sigmoid, probationary period, application
 * profiles, one threshold per detector and profile, normalisation against the null and perfect detectors).
 */
package io.sextant.bench.nab;
