/**
 * The {@code logparse} harness: runs the collector's streaming log-template miner over Loghub-2k datasets, writes
 * Loghub-format structured CSVs and scores them (GA, PA, FGA, FTA) against the original and the corrected
 * (Loghub-2.0) ground truth.
 */
package io.sextant.bench.logparse;
